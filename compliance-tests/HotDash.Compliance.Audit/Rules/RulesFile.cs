using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Validation;

namespace HotDash.Compliance.Audit.Rules;

/// <summary>One problem in a rules file, located by line, column and JSON path.</summary>
public sealed record RulesProblem(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Path}: {Message}";
}

/// <summary>A rules file could not be loaded; nothing is audited against a half-understood file.</summary>
public sealed class RulesFileException(string file, IReadOnlyList<RulesProblem> problems)
    : Exception($"Rules file '{file}' is invalid (HD0001):{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public string File { get; } = file;

    public IReadOnlyList<RulesProblem> Problems { get; } = problems;
}

/// <summary>A loaded rules file: its typed content, where it came from and its SHA-256 (for the evidence report).</summary>
public sealed record RulesFile(RulesDocument Document, string Origin, string Sha256)
{
    public const string BuiltInOrigin = "built-in defaults";

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
    };

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(ReadResource("canonical-stack.schema.json")).GetAwaiter().GetResult());

    /// <summary>The repository's own rules/canonical-stack.json, embedded.</summary>
    public static RulesFile BuiltIn() => Parse(ReadResource("canonical-stack.json"), BuiltInOrigin);

    public static RulesFile Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new RulesFileException(path, [new RulesProblem(path, 0, 0, "$", "the file does not exist")]);
        }

        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Validates the text (JSON syntax, then the schema) and binds it; throws <see cref="RulesFileException"/> with every problem.</summary>
    public static RulesFile Parse(string json, string origin)
    {
        var syntax = SyntaxProblem(json, origin);
        if (syntax is not null)
        {
            throw new RulesFileException(origin, [syntax]);
        }

        var errors = Schema.Value.Validate(json);
        if (errors.Count > 0)
        {
            throw new RulesFileException(origin, Flatten(errors).Select(e => ToProblem(e, origin)).OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());
        }

        var document = JsonSerializer.Deserialize<RulesDocument>(json, SerializerOptions)!;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        return new RulesFile(document, origin, sha);
    }

    public static string SchemaText => ReadResource("canonical-stack.schema.json");

    private static RulesProblem? SyntaxProblem(string json, string origin)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return null;
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines and bytes from 0.
            return new RulesProblem(origin, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "$", "invalid JSON: " + e.Message.Split(" Path:")[0]);
        }
        catch (ArgumentException)
        {
            // Text that cannot be UTF-8 (a lone surrogate) never comes from a file; say so rather than crash.
            var at = json.Select((c, i) => (c, i)).FirstOrDefault(p => char.IsSurrogate(p.c)).i;
            var line = json.Take(at).Count(c => c == '\n') + 1;
            var column = at - json.LastIndexOf('\n', Math.Max(0, at - 1));
            return new RulesProblem(origin, line, column, "$", "invalid text: a lone UTF-16 surrogate cannot be encoded as UTF-8");
        }
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var inner in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static RulesProblem ToProblem(ValidationError error, string origin)
    {
        var path = ToJsonPath(error.Path);
        if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Property is { } unknown && !path.EndsWith("." + unknown, StringComparison.Ordinal))
        {
            path = path + "." + unknown;
        }

        var message = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"missing required property '{error.Property}'",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unknown property '{error.Property}'",
            ValidationErrorKind.PatternMismatch => "does not match the required pattern",
            ValidationErrorKind.NotInEnumeration => "is not one of the allowed values",
            _ => Describe(error.Kind),
        };
        return new RulesProblem(origin, error.LineNumber, error.LinePosition, path, message);
    }

    // NJsonSchema paths look like "#/fly.apps[0].processes[0].minMemory"; we print JSONPath.
    private static string ToJsonPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "#" ? "$" : "$." + path.TrimStart('#', '/');

    private static string Describe(ValidationErrorKind kind)
    {
        // "IntegerExpected" -> "integer expected"
        var words = new StringBuilder();
        foreach (var c in kind.ToString())
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        return words.ToString();
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(RulesFile).Assembly.GetManifestResourceStream("HotDash.Compliance." + name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
