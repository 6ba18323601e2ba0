using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Analyzers.Json;

// Compiled into the analyzers (HD2001, schema literals) and into the audit engine (schemas generated
// from types at test time), so that build time and test time apply the same strict-mode rules.
namespace HotDash.Compliance.StructuredOutputs;

/// <summary>OpenAI's strict-mode limits ("Supported schemas"); the rules file may change them.</summary>
internal sealed class StrictLimits
{
    public int MaxObjectProperties { get; set; } = 5000;

    public int MaxNestingDepth { get; set; } = 10;

    public int MaxEnumValues { get; set; } = 1000;

    public int MaxTotalStringLength { get; set; } = 120_000;

    public int LargeEnumThreshold { get; set; } = 250;

    public int MaxLargeEnumStringLength { get; set; } = 15_000;
}

/// <summary>One reason strict mode would reject a schema: where (JSON context and text span) and what.</summary>
internal sealed class StrictSchemaProblem
{
    public StrictSchemaProblem(IReadOnlyList<string> context, string message, int start, int length)
    {
        Context = context;
        Message = message;
        Start = start;
        Length = length;
    }

    /// <summary>The path of the schema the problem is in, as OpenAI prints it: ('properties', 'reason').</summary>
    public IReadOnlyList<string> Context { get; }

    public string Message { get; }

    public int Start { get; }

    public int Length { get; }

    public string ContextText => "(" + string.Join(", ", Context.Select(c => "'" + c + "'")) + ")";

    /// <summary>
    /// As the API prints it in its 400 answer ("Invalid schema for response_format 'x': In context=(), 'required' is
    /// required to be supplied and to be an array including every key in properties. Missing 'message'."), with our
    /// fix hint, when there is one, after the API's sentence.
    /// </summary>
    public override string ToString() => $"In context={ContextText}, {Message}";
}

/// <summary>
/// Checks a JSON schema against OpenAI Structured Outputs strict mode: an object root (not anyOf);
/// additionalProperties false on every object; every property required (optional fields are unions
/// with null); items on every array; nothing beside $ref; no unsupported keyword; supported string
/// formats only; and the size limits.
/// </summary>
internal static class StrictSchemaValidator
{
    public static readonly IReadOnlyCollection<string> UnsupportedKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "allOf", "oneOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "patternProperties",
        "unevaluatedProperties", "propertyNames", "minProperties", "maxProperties", "contains", "uniqueItems",
        "minLength", "maxLength", "default",
    };

    public static readonly IReadOnlyCollection<string> SupportedFormats = new HashSet<string>(StringComparer.Ordinal)
    {
        "date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid",
    };

    public static List<StrictSchemaProblem> Validate(JsonValue root, StrictLimits limits)
    {
        var walk = new Walk(limits);
        if (root.Kind != JsonKind.Object)
        {
            walk.Problems.Add(new StrictSchemaProblem([], "the schema must be a JSON object", root.Start, root.Length));
            return walk.Problems;
        }

        if (root.Find("anyOf") is { } anyOf)
        {
            walk.Problems.Add(new StrictSchemaProblem([], "the root schema must be an object, not 'anyOf'", anyOf.NameStart, anyOf.NameLength));
        }

        var type = root.Get("type");
        if (type is null || !(type.Kind == JsonKind.String && type.Text == "object"))
        {
            walk.Problems.Add(new StrictSchemaProblem([], "the root schema must have 'type': 'object'", type?.Start ?? root.Start, type?.Length ?? 1));
        }

        walk.Schema(root, [], depth: 0);
        walk.CheckTotals(root);
        return walk.Problems;
    }

    private sealed class Walk
    {
        private readonly StrictLimits _limits;
        private int _properties;
        private int _enumValues;
        private int _stringLength;
        private bool _depthReported;

        public Walk(StrictLimits limits)
        {
            _limits = limits;
        }

        public List<StrictSchemaProblem> Problems { get; } = [];

        public void Schema(JsonValue schema, List<string> context, int depth)
        {
            if (schema.Kind != JsonKind.Object)
            {
                if (schema.Kind is not (JsonKind.True or JsonKind.False))
                {
                    Problems.Add(new StrictSchemaProblem(context, "a schema must be a JSON object", schema.Start, schema.Length));
                }

                return;
            }

            if (schema.Find("$ref") is not null)
            {
                foreach (var sibling in schema.Members.Where(m => m.Name != "$ref"))
                {
                    Problems.Add(new StrictSchemaProblem(context, $"'$ref' cannot have sibling keywords; found '{sibling.Name}'", sibling.NameStart, sibling.NameLength));
                }

                return;
            }

            foreach (var member in schema.Members)
            {
                if (UnsupportedKeywords.Contains(member.Name))
                {
                    Problems.Add(new StrictSchemaProblem(context, $"'{member.Name}' is not permitted in strict mode", member.NameStart, member.NameLength));
                }
            }

            var types = Types(schema);
            if (types.Count == 0 && schema.Find("properties") is null && schema.Find("anyOf") is null && schema.Find("enum") is null && schema.Find("const") is null && context.Count > 0)
            {
                Problems.Add(new StrictSchemaProblem(context, "a schema must declare 'type' (or '$ref', 'anyOf', 'enum', 'const'): an empty schema accepts any JSON, which strict mode cannot express", schema.Start, 1));
            }

            var isObject = types.Contains("object") || (types.Count == 0 && schema.Find("properties") is not null);
            if (isObject)
            {
                depth++;
                if (depth > _limits.MaxNestingDepth && !_depthReported)
                {
                    _depthReported = true;
                    Problems.Add(new StrictSchemaProblem(context, $"objects may be nested at most {_limits.MaxNestingDepth} levels deep; this one is at level {depth}", schema.Start, 1));
                }

                Object(schema, context, depth);
            }

            if (types.Contains("array") && schema.Find("items") is null)
            {
                Problems.Add(new StrictSchemaProblem(context, "'items' is required for an array", schema.Start, 1));
            }

            if (schema.Find("format") is { } format && format.Value.Kind == JsonKind.String && !SupportedFormats.Contains(format.Value.Text!))
            {
                Problems.Add(new StrictSchemaProblem(context, $"format '{format.Value.Text}' is not supported; use one of {string.Join(", ", SupportedFormats)}", format.Value.Start, format.Value.Length));
            }

            if (schema.Get("enum") is { Kind: JsonKind.Array } values)
            {
                Enum(schema, values, context);
            }

            if (schema.Get("const") is { Kind: JsonKind.String } constant)
            {
                _stringLength += constant.Text!.Length;
            }

            if (schema.Get("items") is { } items)
            {
                Schema(items, With(context, "items"), depth);
            }

            var anyOfIndex = 0;
            foreach (var branch in schema.GetItems("anyOf"))
            {
                Schema(branch, With(context, "anyOf", anyOfIndex++.ToString(System.Globalization.CultureInfo.InvariantCulture)), depth);
            }

            foreach (var definitions in new[] { "$defs", "definitions" })
            {
                if (schema.Get(definitions) is { Kind: JsonKind.Object } defs)
                {
                    foreach (var definition in defs.Members)
                    {
                        _stringLength += definition.Name.Length;
                        Schema(definition.Value, With(context, definitions, definition.Name), depth);
                    }
                }
            }
        }

        public void CheckTotals(JsonValue root)
        {
            if (_properties > _limits.MaxObjectProperties)
            {
                Problems.Add(new StrictSchemaProblem([], $"a schema may have at most {_limits.MaxObjectProperties} object properties in total; this one has {_properties}", root.Start, 1));
            }

            if (_enumValues > _limits.MaxEnumValues)
            {
                Problems.Add(new StrictSchemaProblem([], $"a schema may have at most {_limits.MaxEnumValues} enum values in total; this one has {_enumValues}", root.Start, 1));
            }

            if (_stringLength > _limits.MaxTotalStringLength)
            {
                Problems.Add(new StrictSchemaProblem([], $"the property names, definition names, enum values and const values may total at most {_limits.MaxTotalStringLength} characters; this schema has {_stringLength}", root.Start, 1));
            }
        }

        private void Object(JsonValue schema, List<string> context, int depth)
        {
            var additional = schema.Find("additionalProperties");
            if (additional is null)
            {
                Problems.Add(new StrictSchemaProblem(context, "'additionalProperties' is required to be supplied and to be false.", schema.Start, 1));
            }
            else if (additional.Value.Kind != JsonKind.False)
            {
                Problems.Add(new StrictSchemaProblem(context, "'additionalProperties' must be false: objects with open keys (dictionaries) are not supported", additional.NameStart, additional.NameLength));
            }

            var properties = schema.Get("properties");
            var names = properties?.Kind == JsonKind.Object ? properties.Members.Select(m => m.Name).ToList() : [];
            var required = schema.Find("required");
            var requiredNames = required?.Value.Kind == JsonKind.Array
                ? new HashSet<string>(required.Value.Items.Where(i => i.Kind == JsonKind.String).Select(i => i.Text!), StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            foreach (var missing in names.Where(n => !requiredNames.Contains(n)))
            {
                // The API reports it at the object whose 'required' lacks the key, not at the property.
                Problems.Add(new StrictSchemaProblem(
                    context,
                    $"'required' is required to be supplied and to be an array including every key in properties. Missing '{missing}'. Fix: list '{missing}' in 'required'; if it is optional, make it nullable: \"type\": [\"...\", \"null\"].",
                    required?.NameStart ?? schema.Start,
                    required?.NameLength ?? 1));
            }

            if (properties?.Kind != JsonKind.Object)
            {
                return;
            }

            foreach (var property in properties.Members)
            {
                _properties++;
                _stringLength += property.Name.Length;
                Schema(property.Value, With(context, "properties", property.Name), depth);
            }
        }

        private void Enum(JsonValue schema, JsonValue values, List<string> context)
        {
            _enumValues += values.Items.Count;
            var strings = values.Items.Where(v => v.Kind == JsonKind.String).Select(v => v.Text!).ToList();
            var length = strings.Sum(s => s.Length);
            _stringLength += length;
            if (strings.Count > _limits.LargeEnumThreshold && length > _limits.MaxLargeEnumStringLength)
            {
                Problems.Add(new StrictSchemaProblem(context, $"a string enum of more than {_limits.LargeEnumThreshold} values may total at most {_limits.MaxLargeEnumStringLength} characters; this one has {strings.Count} values and {length} characters", values.Start, 1));
            }
        }

        private static HashSet<string> Types(JsonValue schema)
        {
            var type = schema.Get("type");
            var types = new HashSet<string>(StringComparer.Ordinal);
            if (type?.Kind == JsonKind.String)
            {
                types.Add(type.Text!);
            }
            else if (type?.Kind == JsonKind.Array)
            {
                foreach (var item in type.Items.Where(i => i.Kind == JsonKind.String))
                {
                    types.Add(item.Text!);
                }
            }

            return types;
        }

        private static List<string> With(List<string> context, params string[] segments)
        {
            var copy = new List<string>(context);
            copy.AddRange(segments);
            return copy;
        }
    }
}
