using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace HotDash.Compliance.Json;

/// <summary>A problem with a JSON text (syntax, schema or meaning): the JSON path, what is wrong, and where.</summary>
internal sealed class JsonProblem
{
    public JsonProblem(string path, string message, int start, int length, string? origin = null)
    {
        Path = path;
        Message = message;
        Start = start;
        Length = length;
        Origin = origin;
    }

    /// <summary>At a value, in the document it was written in.</summary>
    public JsonProblem(string path, string message, JsonValue at)
        : this(path, message, at.Start, at.Length, at.Origin)
    {
    }

    /// <summary>JSONPath of the offending value, e.g. <c>$.fly.apps[0].processes[0].minMemory</c>; empty for syntax errors.</summary>
    public string Path { get; }

    public string Message { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>The document the offsets refer to, when rules are combined from several (see <see cref="JsonValue.Origin"/>); null for a single text.</summary>
    public string? Origin { get; }
}

/// <summary>
/// Validates a document against the repository's rules schema (draft-07), inside the analyzer
/// where no JSON Schema library can be loaded. It supports exactly the keywords that schema uses
/// (type, properties, additionalProperties, required, items, enum, pattern, minimum, maximum,
/// minLength, minItems, $ref to #/definitions) and treats any other keyword as an annotation;
/// a test keeps the schema within that set and checks verdicts against NJsonSchema.
/// </summary>
internal sealed class JsonSchemaSubsetValidator
{
    public static readonly IReadOnlyCollection<string> SupportedKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "$schema", "$id", "title", "description", "definitions", "$ref",
        "type", "properties", "additionalProperties", "required", "items",
        "enum", "pattern", "minimum", "maximum", "minLength", "minItems",

        // An annotation of ours: the property that names an array's entries, by which rules that extend
        // other rules merge them (RulesComposer).
        "x-mergeKey",
    };

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly JsonValue _root;

    public JsonSchemaSubsetValidator(JsonValue schemaRoot)
    {
        _root = schemaRoot;
    }

    public List<JsonProblem> Validate(JsonValue instance)
    {
        var violations = new List<JsonProblem>();
        Validate(_root, instance, "$", violations, 0);
        return violations;
    }

    private JsonValue Resolve(JsonValue schema)
    {
        // Follows "#/definitions/name" references; the schema is ours, so a broken one is a build bug.
        var guard = 0;
        while (schema.GetString("$ref") is { } reference && guard++ < 32)
        {
            const string Prefix = "#/definitions/";
            if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
            {
                break;
            }

            var target = _root.Get("definitions")?.Get(reference.Substring(Prefix.Length));
            if (target is null)
            {
                break;
            }

            schema = target;
        }

        return schema;
    }

    private void Validate(JsonValue schema, JsonValue value, string path, List<JsonProblem> violations, int depth)
    {
        if (depth > JsonParser.MaxDepth)
        {
            return;
        }

        schema = Resolve(schema);

        var types = TypesOf(schema);
        if (types.Count > 0 && !types.Any(t => Matches(t, value)))
        {
            violations.Add(new JsonProblem(path, $"expected {string.Join(" or ", types)}, found {Describe(value)}", value));
            return;
        }

        if (schema.Get("enum") is { Kind: JsonKind.Array } allowed && !allowed.Items.Any(a => JsonEquals(a, value)))
        {
            var list = string.Join(", ", allowed.Items.Select(Render));
            violations.Add(new JsonProblem(path, $"{Render(value)} is not one of the allowed values: {list}", value));
        }

        switch (value.Kind)
        {
            case JsonKind.Object:
                ValidateObject(schema, value, path, violations, depth);
                break;
            case JsonKind.Array:
                if (schema.GetInt64("minItems") is { } minItems && value.Items.Count < minItems)
                {
                    violations.Add(new JsonProblem(path, $"expected at least {minItems} item(s), found {value.Items.Count}", value));
                }

                if (schema.Get("items") is { Kind: JsonKind.Object } itemSchema)
                {
                    for (var i = 0; i < value.Items.Count; i++)
                    {
                        Validate(itemSchema, value.Items[i], $"{path}[{i}]", violations, depth + 1);
                    }
                }

                break;
            case JsonKind.String:
                ValidateString(schema, value, path, violations);
                break;
            case JsonKind.Number:
                ValidateNumber(schema, value, path, violations);
                break;
        }
    }

    private void ValidateObject(JsonValue schema, JsonValue value, string path, List<JsonProblem> violations, int depth)
    {
        var properties = schema.Get("properties");
        foreach (var required in schema.GetItems("required"))
        {
            if (required.Kind == JsonKind.String && value.Find(required.Text!) is null)
            {
                // Point at the opening brace: the property is missing, so there is nothing else to point at.
                violations.Add(new JsonProblem(AppendName(path, required.Text!), $"missing required property '{required.Text}'", value.Start, 1, value.Origin));
            }
        }

        var additional = schema.Get("additionalProperties");
        foreach (var member in value.Members)
        {
            var memberPath = AppendName(path, member.Name);
            if (properties?.Get(member.Name) is { } propertySchema)
            {
                Validate(propertySchema, member.Value, memberPath, violations, depth + 1);
            }
            else if (additional?.Kind == JsonKind.False)
            {
                var known = properties is null ? string.Empty : $"; known properties: {string.Join(", ", properties.Members.Select(m => m.Name))}";
                violations.Add(new JsonProblem(memberPath, $"unknown property '{member.Name}'{known}", member.NameStart, member.NameLength, member.Value.Origin));
            }
            else if (additional?.Kind == JsonKind.Object)
            {
                Validate(additional, member.Value, memberPath, violations, depth + 1);
            }
        }
    }

    private static void ValidateString(JsonValue schema, JsonValue value, string path, List<JsonProblem> violations)
    {
        var text = value.Text!;
        if (schema.GetInt64("minLength") is { } minLength && text.Length < minLength)
        {
            violations.Add(new JsonProblem(path, minLength == 1 ? "must not be empty" : $"must be at least {minLength} characters long", value));
        }

        if (schema.GetString("pattern") is { } pattern)
        {
            bool matches;
            try
            {
                matches = Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                matches = true;
            }
            catch (RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                violations.Add(new JsonProblem(path, $"\"{text}\" does not match the pattern {pattern}", value));
            }
        }
    }

    private static void ValidateNumber(JsonValue schema, JsonValue value, string path, List<JsonProblem> violations)
    {
        if (!double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        if (schema.Get("minimum") is { IsNumber: true } min &&
            double.TryParse(min.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var minimum) && number < minimum)
        {
            violations.Add(new JsonProblem(path, $"{value.Text} is less than the minimum of {min.Text}", value));
        }

        if (schema.Get("maximum") is { IsNumber: true } max &&
            double.TryParse(max.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var maximum) && number > maximum)
        {
            violations.Add(new JsonProblem(path, $"{value.Text} is greater than the maximum of {max.Text}", value));
        }
    }

    private static List<string> TypesOf(JsonValue schema)
    {
        var type = schema.Get("type");
        if (type is null)
        {
            return [];
        }

        return type.Kind == JsonKind.Array
            ? type.Items.Where(t => t.Kind == JsonKind.String).Select(t => t.Text!).ToList()
            : type.Kind == JsonKind.String ? [type.Text!] : [];
    }

    private static bool Matches(string type, JsonValue value) => type switch
    {
        "object" => value.Kind == JsonKind.Object,
        "array" => value.Kind == JsonKind.Array,
        "string" => value.Kind == JsonKind.String,
        "number" => value.Kind == JsonKind.Number,
        "integer" => value.IsInteger,
        "boolean" => value.Kind is JsonKind.True or JsonKind.False,
        "null" => value.Kind == JsonKind.Null,
        _ => true,
    };

    private static string Describe(JsonValue value) => value.Kind switch
    {
        JsonKind.Object => "object",
        JsonKind.Array => "array",
        JsonKind.String => "string",
        JsonKind.Number => value.IsInteger ? "integer" : "number",
        JsonKind.True or JsonKind.False => "boolean",
        _ => "null",
    };

    private static string Render(JsonValue value) => value.Kind switch
    {
        JsonKind.String => "\"" + value.Text + "\"",
        JsonKind.Number => value.Text!,
        JsonKind.True => "true",
        JsonKind.False => "false",
        JsonKind.Null => "null",
        _ => Describe(value),
    };

    private static bool JsonEquals(JsonValue a, JsonValue b)
    {
        if (a.IsNumber && b.IsNumber)
        {
            return double.TryParse(a.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &&
                   double.TryParse(b.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && x == y;
        }

        return a.Kind == b.Kind && (a.Kind is not (JsonKind.String) || a.Text == b.Text) && a.Kind is not (JsonKind.Object or JsonKind.Array);
    }

    private static string AppendName(string path, string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c == '_') && name.Length > 0 ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'")}']";
}
