using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using HotDash.Compliance.Json;
using HotDash.Compliance.Rules;
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
    public const string BuiltInOrigin = BuiltInRules.Origin;

    /// <summary>The file beside the report that holds the effective rules and where each value came from.</summary>
    public const string EffectiveRulesFile = "effective-rules.json";

    /// <summary>The document as written (before what it extends is merged in), for the effective rules.</summary>
    internal RulesText? Source { get; init; }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
    };

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(BuiltInRules.SchemaText).GetAwaiter().GetResult());

    /// <summary>The repository's own rules/canonical-stack.json, embedded.</summary>
    public static RulesFile BuiltIn() => BeginBuiltIn().Validated();

    public static PendingRulesFile BeginBuiltIn() => BeginParse(BuiltInRules.Text, BuiltInOrigin);

    public static RulesFile Load(string path) => BeginLoad(path).Validated();

    public static PendingRulesFile BeginLoad(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new RulesFileException(path, [new RulesProblem(path, 0, 0, "$", "the file does not exist")]);
        }

        // The report's SHA-256 is the file's own, byte for byte, as `sha256sum` prints it.
        var bytes = System.IO.File.ReadAllBytes(path);
        return BeginParse(System.IO.File.ReadAllText(path), path, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Validates the text (JSON syntax, then the schema) and binds it; throws <see cref="RulesFileException"/> with every problem.</summary>
    public static RulesFile Parse(string json, string origin) => BeginParse(json, origin).Validated();

    /// <summary>
    /// Checks the JSON syntax and binds the text now; validates it against the schema on the thread pool.
    /// Building NJsonSchema's schema costs a fresh process about 0.3 s, which the audit spends connecting to
    /// the database instead of waiting (the audit only reads, so nothing happens that an invalid file could
    /// make wrong). <see cref="PendingRulesFile.Validated"/> is the gate: nothing is reported before it.
    /// </summary>
    public static PendingRulesFile BeginParse(string json, string origin, string? fileSha256 = null)
    {
        fileSha256 ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var syntax = SyntaxProblem(json, origin);
        if (syntax is not null)
        {
            throw new RulesFileException(origin, [syntax]);
        }

        var source = new RulesText(origin == BuiltInOrigin ? RulesComposer.Canonical : origin, json);
        if (JsonParser.Parse(json).Value is { } root && (root.Get("extends") is not null || root.Get(RulesComposer.RemoveKey) is not null))
        {
            return BeginComposed(source, fileSha256);
        }

        var validation = Task.Run(() => Validate(json, origin));
        RulesDocument document;
        try
        {
            document = JsonSerializer.Deserialize<RulesDocument>(json, SerializerOptions)!;
        }
        catch (JsonException)
        {
            // A value of the wrong type: the schema says where, in the user's terms.
            var problems = validation.GetAwaiter().GetResult();
            if (problems.Count > 0)
            {
                throw new RulesFileException(origin, problems);
            }

            throw;
        }

        return new PendingRulesFile(new RulesFile(document, origin, fileSha256) { Source = source }, validation);
    }

    /// <summary>
    /// A file that extends others (RulesComposer, the analyzers' own code): merged, validated as a whole with each
    /// problem located in the file that holds it, then bound like any rules file. Its SHA-256 is the file's own; the
    /// files it extends are listed with theirs in the effective rules.
    /// </summary>
    private static PendingRulesFile BeginComposed(RulesText source, string fileSha256)
    {
        var composed = Compose(source);
        if (composed.Problems.Count > 0)
        {
            throw new RulesFileException(source.Origin, composed.Problems.Select(p => Locate(p, composed, source.Origin)).OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column).ToList());
        }

        var document = JsonSerializer.Deserialize<RulesDocument>(composed.Root!.ToJson(), SerializerOptions)!;
        return new PendingRulesFile(new RulesFile(document, source.Origin, fileSha256) { Source = source }, Task.FromResult<IReadOnlyList<RulesProblem>>([]));
    }

    private static ComposedRules Compose(RulesText source) =>
        RulesComposer.Compose(source, ResolveExtends, BuiltInRules.Schema, BuiltInRules.SchemaRoot);

    private static (RulesText? Document, string? Missing) ResolveExtends(string reference, RulesText from)
    {
        var target = RulesComposer.RelativeTarget(reference, from.Origin);
        if (target is null)
        {
            return (BuiltInRules.Canonical, null);
        }

        return System.IO.File.Exists(target)
            ? (new RulesText(target, System.IO.File.ReadAllText(target)), null)
            : (null, RulesComposer.DoesNotExist(target));
    }

    private static RulesProblem Locate(JsonProblem problem, ComposedRules composed, string origin)
    {
        // In the file that holds it; a syntax problem has no JSON path, and is reported at the root.
        var file = problem.Origin ?? origin;
        var located = Locate(problem, composed.Sources.FirstOrDefault(s => s.Origin == file)?.Text ?? string.Empty, file);
        return located.Path.Length == 0 ? located with { Path = "$" } : located;
    }

    /// <summary>
    /// Writes <see cref="EffectiveRulesFile"/>: the files in order (each with its SHA-256), the merged rules the audit
    /// applied, and for every value the file, line and column it was written at. Paths are relative to the repository.
    /// </summary>
    public string WriteEffectiveRules(string directory, string repoRoot)
    {
        var composed = Compose(Source ?? BuiltInRules.Canonical);
        string Display(string origin) => origin == RulesComposer.Canonical || !Path.IsPathRooted(origin)
            ? origin
            : Path.GetRelativePath(repoRoot, origin).Replace('\\', '/');
        string Describe(RulesText source) =>
            $"{Display(source.Origin)} (SHA-256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Text)))})" +
            (source.Origin == RulesComposer.Canonical ? $", built into HotDash.Compliance {ProductVersion}" : string.Empty);
        var json = RulesComposer.EffectiveRulesJson(composed, Describe, Display);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, EffectiveRulesFile);
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private static string ProductVersion =>
        typeof(RulesFile).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>
    /// The analyzers' own validator decides first: it is what judges the same file at build time, its
    /// verdicts are checked against NJsonSchema's on every invalid fixture and on mutated files, and it costs
    /// a fresh process a fraction of building NJsonSchema's schema. Only a file it rejects is handed to
    /// NJsonSchema, for the located, worded problems; should NJsonSchema find none, our problems are reported.
    /// </summary>
    private static IReadOnlyList<RulesProblem> Validate(string json, string origin)
    {
        var parsed = JsonParser.Parse(json);
        var fast = parsed.Value is null ? null : BuiltInRules.Schema.Validate(parsed.Value);
        if (fast is { Count: 0 })
        {
            return RulesBeyondSchema.Problems(parsed.Value!).Select(p => Locate(p, json, origin)).ToList();
        }

        var problems = Flatten(Schema.Value.Validate(json)).Select(e => ToProblem(e, origin)).OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
        return problems.Count > 0 || fast is null ? problems : fast.Select(p => Locate(p, json, origin)).ToList();
    }

    private static RulesProblem Locate(JsonProblem problem, string json, string origin)
    {
        var (line, column) = TextPosition.Of(json, problem.Start);
        return new RulesProblem(origin, line, column, problem.Path, problem.Message);
    }

    public static string SchemaText => BuiltInRules.SchemaText;

    private static RulesProblem? SyntaxProblem(string json, string origin)
    {
        // The analyzers' reader decides and words it, so a syntax error reads the same at build time and at test
        // time, in plain words (System.Text.Json's own text advises "reader options" the user does not have).
        var parsed = JsonParser.Parse(json);
        if (!parsed.Succeeded)
        {
            var (line, column) = TextPosition.Of(json, parsed.ErrorOffset);
            return new RulesProblem(origin, line, column, "$", "invalid JSON: " + parsed.Error);
        }

        try
        {
            using var _ = JsonDocument.Parse(json);
            return null;
        }
        catch (JsonException e)
        {
            // Both readers are held to agree on what they accept; should they not, the file is still refused.
            return new RulesProblem(origin, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "$", "invalid JSON");
        }
        catch (ArgumentException)
        {
            // Text that cannot be UTF-8 (a lone surrogate) never comes from a file; say so rather than crash.
            var at = json.Select((c, i) => (c, i)).FirstOrDefault(p => char.IsSurrogate(p.c)).i;
            var (line, column) = TextPosition.Of(json, at);
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
}

/// <summary>A rules file bound but still being validated against the schema; <see cref="Validated"/> waits for the verdict.</summary>
public sealed class PendingRulesFile(RulesFile unvalidated, Task<IReadOnlyList<RulesProblem>> validation)
{
    /// <summary>The bound content, to start work with; not to be reported on before <see cref="Validated"/>.</summary>
    public RulesFile Unvalidated { get; } = unvalidated;

    /// <summary>The file, once the schema accepts it; otherwise throws <see cref="RulesFileException"/> with every problem.</summary>
    public RulesFile Validated()
    {
        var problems = validation.GetAwaiter().GetResult();
        return problems.Count == 0 ? Unvalidated : throw new RulesFileException(Unvalidated.Origin, problems);
    }
}
