using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using HotDash.Compliance.Analyzers.Json;

namespace HotDash.Compliance.Analyzers.Rules;

/// <summary>Rules, or the problems that kept a file from loading.</summary>
internal sealed class RulesLoadResult
{
    public RulesLoadResult(HotDashRules? rules, ImmutableArray<JsonProblem> problems, ComposedRules? composed = null, bool extendsAFile = false)
    {
        Rules = rules;
        Problems = problems;
        Composed = composed;
        ExtendsAFile = extendsAFile;
    }

    /// <summary>The file with what it extends; null when the text could not be read as rules at all.</summary>
    public ComposedRules? Composed { get; }

    /// <summary>The file extends another file by path, which only the caller can find (the analyzers: among AdditionalFiles).</summary>
    public bool ExtendsAFile { get; }

    public RulesLoadResult AsExtendingAFile() => new(Rules, Problems, Composed, extendsAFile: true);

    public HotDashRules? Rules { get; }

    public ImmutableArray<JsonProblem> Problems { get; }
}

/// <summary>
/// Loads a rules file: JSON syntax, then the embedded JSON Schema, then what a schema cannot say
/// (a secret pattern must be a valid regular expression). Any problem rejects the whole file, so a
/// half-understood rules file never silently weakens the checks.
/// </summary>
internal static class RulesLoader
{
    public const string DefaultsOrigin = "built-in defaults";

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    private static readonly Lazy<JsonValue> SchemaRoot = new(() => JsonParser.Parse(ReadResource("canonical-stack.schema.json")).Value!);

    private static readonly Lazy<JsonSchemaSubsetValidator> Schema = new(() => new JsonSchemaSubsetValidator(SchemaRoot.Value));

    private static readonly Lazy<RulesText> CanonicalText = new(() => new RulesText(RulesComposer.Canonical, ReadResource("canonical-stack.json")));

    private static readonly Lazy<JsonValue?> CanonicalStructuredOutputs = new(() => JsonParser.Parse(CanonicalText.Value.Text).Value?.Get("structuredOutputs"));

    private static readonly Lazy<HotDashRules> BuiltInDefaults = new(() =>
    {
        var result = Load(ReadResource("canonical-stack.json"), DefaultsOrigin);

        // The defaults are the repository's own rules file, validated by the test suite; an
        // unloadable copy would be a packaging bug, and an empty rule set is the safe reaction.
        return result.Rules ?? new HotDashRules(DefaultsOrigin, ImmutableArray<DeprecatedKey>.Empty, ImmutableArray<SecretPattern>.Empty, ImmutableArray<BannedApi>.Empty, DatabaseProviders.None, StructuredOutputRules.None);
    });

    public static HotDashRules Defaults => BuiltInDefaults.Value;

    /// <summary>Loads rules that extend nothing or the built-in canonical rules; a file named by path is reported missing.</summary>
    public static RulesLoadResult Load(string text, string origin)
    {
        var extendsAFile = false;
        var result = Load(new RulesText(origin, text), (reference, from) =>
        {
            if (RulesComposer.RelativeTarget(reference, from.Origin) is null)
            {
                return (CanonicalText.Value, null);
            }

            extendsAFile = true;
            return (null, "a rules file named by path can only be read where its folder is known");
        });
        return extendsAFile ? result.AsExtendingAFile() : result;
    }

    /// <summary>The built-in canonical rules, for an <c>extends</c> resolver.</summary>
    public static RulesText Canonical => CanonicalText.Value;

    public static RulesLoadResult Load(RulesText file, Func<string, RulesText, (RulesText? Document, string? Missing)> resolve)
    {
        var composed = RulesComposer.Compose(file, resolve, Schema.Value, SchemaRoot.Value);
        if (composed.Problems.Count > 0)
        {
            return new RulesLoadResult(null, composed.Problems.ToImmutableArray(), composed);
        }

        var root = composed.Root!;
        var origin = file.Origin;

        var problems = new List<JsonProblem>();
        var configuration = root.Get("configuration");

        var deprecated = configuration is null
            ? ImmutableArray<DeprecatedKey>.Empty
            : configuration.GetItems("deprecatedKeys")
                .Select(k => new DeprecatedKey(
                    k.GetString("key")!,
                    k.GetItems("aliases").Select(a => a.Text!).ToImmutableArray(),
                    k.GetString("replacement")!))
                .ToImmutableArray();

        var secrets = ImmutableArray.CreateBuilder<SecretPattern>();
        var index = 0;
        foreach (var s in configuration?.GetItems("secretPatterns") ?? [])
        {
            var patternValue = s.Get("pattern")!;
            try
            {
                var regex = new Regex(patternValue.Text!, RegexOptions.CultureInvariant, RegexTimeout);
                secrets.Add(new SecretPattern(s.GetString("id")!, s.GetString("description")!, regex, s.GetString("hint")));
            }
            catch (ArgumentException e)
            {
                problems.Add(new JsonProblem($"$.configuration.secretPatterns[{index}].pattern", $"not a valid .NET regular expression: {e.Message}", patternValue));
            }

            index++;
        }

        var banned = root.GetItems("bannedApis")
            .Select(b => new BannedApi(b.GetString("symbol")!, b.GetString("message")!))
            .ToImmutableArray();

        var databaseRules = root.Get("database");
        var database = databaseRules is null
            ? DatabaseProviders.None
            : new DatabaseProviders(
                databaseRules.GetString("provider"),
                databaseRules.GetItems("forbiddenProviders").Select(p => p.Text!).ToImmutableArray(),
                databaseRules.GetItems("providers")
                    .Select(p => new HotDash.Compliance.Providers.ProviderHosts(p.GetString("name")!, p.GetItems("hostPatterns").Select(h => h.Text!).ToArray(), p.GetItems("excludeHostPatterns").Select(h => h.Text!).ToArray()))
                    .ToImmutableArray());

        var structured = root.Get("structuredOutputs");
        var profile = HotDash.Compliance.StructuredOutputs.StrictProfileReader.Read(structured, CanonicalStructuredOutputs.Value, out var profileProblem);
        if (profileProblem is { } undeclared)
        {
            problems.Add(new JsonProblem("$.structuredOutputs.profile", undeclared.Message, undeclared.At));
        }

        var structuredOutputs = structured is null
            ? StructuredOutputRules.None
            : new StructuredOutputRules(structured.GetItems("entryPoints").Select(ReadEntryPoint).ToImmutableArray(), profile);

        if (problems.Count > 0)
        {
            return new RulesLoadResult(null, problems.ToImmutableArray(), composed);
        }

        return new RulesLoadResult(new HotDashRules(origin, deprecated, secrets.ToImmutable(), banned, database, structuredOutputs), ImmutableArray<JsonProblem>.Empty, composed);
    }

    private static EntryPoint ReadEntryPoint(JsonValue entry)
    {
        var method = entry.GetString("method")!;
        var dot = method.LastIndexOf('.');
        return new EntryPoint(
            dot < 0 ? string.Empty : method.Substring(0, dot),
            method.Substring(dot + 1),
            entry.GetString("kind")!,
            entry.GetString("schemaParameter"),
            entry.GetString("strictParameter"),
            entry.GetBoolean("alwaysStrict") ?? false,
            entry.Get("strictWhenAdditionalProperty")?.GetString("parameter"),
            entry.Get("strictWhenAdditionalProperty")?.GetString("key"),
            entry.GetBoolean("generatedSchemaRequiresEveryProperty") ?? false,
            entry.GetString("generatedSchemaValidationKeywords") == "sent");
    }

    private static string ReadResource(string name)
    {
        var assembly = typeof(RulesLoader).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream("HotDash.Compliance." + name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
