using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Json;
using HotDash.Compliance.Rules;

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
/// Loads a rules file through the core's composer: JSON syntax, then the embedded JSON Schema, then what a schema
/// cannot say (<see cref="RulesBeyondSchema"/>), as the audit does. Any problem rejects the whole file, so a
/// half-understood rules file never silently weakens the checks.
/// </summary>
internal static class RulesLoader
{
    public const string DefaultsOrigin = BuiltInRules.Origin;

    private static readonly Lazy<HotDashRules> BuiltInDefaults = new(() =>
    {
        var result = Load(BuiltInRules.Text, DefaultsOrigin);

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
                return (BuiltInRules.Canonical, null);
            }

            extendsAFile = true;
            return (null, "a rules file named by path can only be read where its folder is known");
        });
        return extendsAFile ? result.AsExtendingAFile() : result;
    }

    public static RulesLoadResult Load(RulesText file, Func<string, RulesText, (RulesText? Document, string? Missing)> resolve)
    {
        var composed = RulesComposer.Compose(file, resolve, BuiltInRules.Schema, BuiltInRules.SchemaRoot);
        if (composed.Problems.Count > 0)
        {
            return new RulesLoadResult(null, composed.Problems.ToImmutableArray(), composed);
        }

        var root = composed.Root!;
        var origin = file.Origin;

        var configuration = root.Get("configuration");
        var deprecated = configuration is null
            ? ImmutableArray<DeprecatedKey>.Empty
            : configuration.GetItems("deprecatedKeys")
                .Select(k => new DeprecatedKey(
                    k.GetString("key")!,
                    k.GetItems("aliases").Select(a => a.Text!).ToImmutableArray(),
                    k.GetString("replacement")!))
                .ToImmutableArray();

        var secrets = (configuration?.GetItems("secretPatterns") ?? [])
            .Select(s => new SecretPattern(s.GetString("id")!, s.GetString("description")!, RulesBeyondSchema.SecretRegex(s.GetString("pattern")!), s.GetString("hint"), s.GetString("decoder")))
            .ToImmutableArray();

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
        var structuredOutputs = structured is null
            ? StructuredOutputRules.None
            : new StructuredOutputRules(
                structured.GetItems("entryPoints").Select(ReadEntryPoint).ToImmutableArray(),
                HotDash.Compliance.StructuredOutputs.StrictProfileReader.Read(structured, BuiltInRules.StructuredOutputs, out _));

        return new RulesLoadResult(new HotDashRules(origin, deprecated, secrets, banned, database, structuredOutputs), ImmutableArray<JsonProblem>.Empty, composed);
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
}
