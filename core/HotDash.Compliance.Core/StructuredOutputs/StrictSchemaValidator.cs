using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Json;

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

/// <summary>How the API prints a problem: most in the "In context=(...)" form, some complete in themselves.</summary>
internal enum StrictProblemStyle
{
    /// <summary>"In context=('properties', 'x'), &lt;message&gt;" (the form of most 400 answers since 2024).</summary>
    Context,

    /// <summary>
    /// The message as it stands: "'Parameters Schema' is not a 'uri-reference'.", or the regex answers of 2026, which
    /// carry their own JSON path ("... Found at $.properties.x.pattern.").
    /// </summary>
    Worded,
}

/// <summary>One reason strict mode would reject a schema: where (JSON context and text span) and what.</summary>
internal sealed class StrictSchemaProblem
{
    public StrictSchemaProblem(IReadOnlyList<string> context, string message, int start, int length, StrictProblemStyle style = StrictProblemStyle.Context)
    {
        Context = context;
        Message = message;
        Start = start;
        Length = length;
        Style = style;
    }

    /// <summary>The path of the schema the problem is in, as OpenAI prints it: ('properties', 'reason').</summary>
    public IReadOnlyList<string> Context { get; }

    public string Message { get; }

    public int Start { get; }

    public int Length { get; }

    public StrictProblemStyle Style { get; }

    public string ContextText => "(" + string.Join(", ", Context.Select(c => "'" + c + "'")) + ")";

    /// <summary>A context as a JSON path, as the API's regex answers print it: $.properties.commands.items.</summary>
    public static string PathOf(IEnumerable<string> context) => "$" + string.Concat(context.Select(c => c.All(char.IsDigit) ? "[" + c + "]" : "." + c));

    /// <summary>
    /// As the API prints it in its 400 answer ("Invalid schema for response_format 'x': In context=(), 'required' is
    /// required to be supplied and to be an array including every key in properties. Missing 'message'."), with our
    /// fix hint, when there is one, after the API's sentence.
    /// </summary>
    public override string ToString() => Style == StrictProblemStyle.Worded ? Message : $"In context={ContextText}, {Message}";
}

/// <summary>
/// Checks a JSON schema against a provider's strict mode. Structural rules every profile shares: an object root (not
/// anyOf); additionalProperties false on every object; an object declares 'properties'; 'required' lists every key of
/// 'properties' and nothing else (optional fields are unions with null); items on every array; nothing beside $ref;
/// a schema declares what it accepts. What the profile says: the keywords it rejects, the formats it knows, the
/// regular-expression constructs it refuses in 'pattern', and the size limits. Messages are the API's own words where a
/// real 400 answer shows them, then our fix hint.
/// </summary>
internal static class StrictSchemaValidator
{
    public static List<StrictSchemaProblem> Validate(JsonValue root, StrictProfile profile)
    {
        var walk = new Walk(profile);
        if (root.Kind != JsonKind.Object)
        {
            walk.Problems.Add(new StrictSchemaProblem([], "the schema must be a JSON object", root.Start, root.Length));
            return walk.Problems;
        }

        var type = root.Get("type");
        var rootIsObject = type is not null && type.Kind == JsonKind.String && type.Text == "object";
        var combinator = new[] { "anyOf", "oneOf", "allOf", "enum", "not" }.Select(root.Find).FirstOrDefault(m => m is not null);
        if (!rootIsObject || combinator is not null)
        {
            // The API's words for a function's parameters (cecli-dev/cecli#281); response formats are held to the same root.
            walk.Problems.Add(new StrictSchemaProblem(
                [],
                "schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level.",
                combinator?.NameStart ?? type?.Start ?? root.Start,
                combinator?.NameLength ?? type?.Length ?? 1,
                StrictProblemStyle.Worded));
        }

        walk.Schema(root, [], depth: 0);
        walk.CheckTotals(root);
        return walk.Problems;
    }

    private sealed class Walk
    {
        private readonly StrictProfile _profile;
        private readonly StrictLimits _limits;
        private int _properties;
        private int _enumValues;
        private int _stringLength;
        private bool _depthReported;

        public Walk(StrictProfile profile)
        {
            _profile = profile;
            _limits = profile.Limits;
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

            if (schema.Find("$id") is { Value.Kind: JsonKind.String } id && !IsUriReference(id.Value.Text!))
            {
                // The API's words (griptape-ai/griptape#2150), printed without a context.
                Problems.Add(new StrictSchemaProblem(context, $"'{id.Value.Text}' is not a 'uri-reference'. Fix: make '$id' a URI reference (no spaces), or drop it.", id.Value.Start, id.Value.Length, StrictProblemStyle.Worded));
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
                if (_profile.Rejects(member.Name))
                {
                    // The API's words: "In context=('properties', 'data'), 'allOf' is not permitted." (makenotion/notion-mcp-server#102).
                    Problems.Add(new StrictSchemaProblem(context, $"'{member.Name}' is not permitted. (profile '{_profile.Name}')", member.NameStart, member.NameLength));
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
                    Problems.Add(new StrictSchemaProblem(context, $"objects may be nested at most {_limits.MaxNestingDepth} levels deep; this one is at level {depth} (profile '{_profile.Name}')", schema.Start, 1));
                }

                Object(schema, context, depth);
            }

            if (types.Contains("array") && schema.Find("items") is null)
            {
                Problems.Add(new StrictSchemaProblem(context, "'items' is required for an array", schema.Start, 1));
            }

            if (!_profile.Rejects("format") && _profile.Formats is { } formats && schema.Find("format") is { Value.Kind: JsonKind.String } format && !formats.Contains(format.Value.Text!))
            {
                // The API's words (can1357/oh-my-pi#206).
                Problems.Add(new StrictSchemaProblem(context, $"'{format.Value.Text}' is not a valid format. Fix: use one of {string.Join(", ", formats)} (profile '{_profile.Name}'), or describe the format in 'description'.", format.Value.Start, format.Value.Length));
            }

            if (!_profile.Rejects("pattern") && schema.Find("pattern") is { Value.Kind: JsonKind.String } pattern)
            {
                Pattern(pattern, context);
            }

            if (schema.Get("enum") is { Kind: JsonKind.Array } values)
            {
                Enum(values, context);
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
                Problems.Add(new StrictSchemaProblem([], $"a schema may have at most {_limits.MaxObjectProperties} object properties in total; this one has {_properties} (profile '{_profile.Name}')", root.Start, 1));
            }

            if (_enumValues > _limits.MaxEnumValues)
            {
                Problems.Add(new StrictSchemaProblem([], $"a schema may have at most {_limits.MaxEnumValues} enum values in total; this one has {_enumValues} (profile '{_profile.Name}')", root.Start, 1));
            }

            if (_stringLength > _limits.MaxTotalStringLength)
            {
                Problems.Add(new StrictSchemaProblem([], $"the property names, definition names, enum values and const values may total at most {_limits.MaxTotalStringLength} characters; this schema has {_stringLength} (profile '{_profile.Name}')", root.Start, 1));
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
                Problems.Add(new StrictSchemaProblem(context, "'additionalProperties' is required to be supplied and to be false. Objects with open keys (dictionaries) are not supported: list the keys as properties, or use an array of key/value objects.", additional.NameStart, additional.NameLength));
            }

            var properties = schema.Get("properties");
            if (properties is null)
            {
                // The API's words (spring-projects/spring-ai#4776): even a parameterless tool needs "properties": {}.
                Problems.Add(new StrictSchemaProblem(context, "object schema missing properties. Fix: declare \"properties\": {} (and \"required\": []) when the object has none.", schema.Start, 1));
            }

            var names = properties?.Kind == JsonKind.Object ? properties.Members.Select(m => m.Name).ToList() : [];
            var required = schema.Find("required");
            var requiredNames = required?.Value.Kind == JsonKind.Array
                ? required.Value.Items.Where(i => i.Kind == JsonKind.String).ToList()
                : [];
            var requiredSet = new HashSet<string>(requiredNames.Select(i => i.Text!), StringComparer.Ordinal);
            foreach (var missing in names.Where(n => !requiredSet.Contains(n)))
            {
                // The API reports it at the object whose 'required' lacks the key, not at the property.
                Problems.Add(new StrictSchemaProblem(
                    context,
                    $"'required' is required to be supplied and to be an array including every key in properties. Missing '{missing}'. Fix: list '{missing}' in 'required'; if it is optional, make it nullable: \"type\": [\"...\", \"null\"].",
                    required?.NameStart ?? schema.Start,
                    required?.NameLength ?? 1));
            }

            var nameSet = new HashSet<string>(names, StringComparer.Ordinal);
            foreach (var extra in requiredNames.Where(r => !nameSet.Contains(r.Text!)))
            {
                // The API's words (dotnet/extensions#6302), at the name in 'required'.
                Problems.Add(new StrictSchemaProblem(
                    context,
                    $"'required' must be an array that includes every key in `properties`. Extra required key '{extra.Text}' supplied. Fix: declare '{extra.Text}' in 'properties' or remove it from 'required'.",
                    extra.Start,
                    extra.Length));
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

        private void Pattern(JsonMember pattern, List<string> context)
        {
            var analysis = PatternGrammar.Analyze(pattern.Value.Text!);
            var at = StrictSchemaProblem.PathOf(With(context, "pattern"));
            if (analysis.Error is not null)
            {
                // No public 400 answer shows the API's words for a malformed pattern: these are ours.
                Problems.Add(new StrictSchemaProblem(context, $"'pattern' is not a valid regular expression: {analysis.Error} at index {analysis.ErrorIndex}. Found at {at}.", pattern.Value.Start, pattern.Value.Length, StrictProblemStyle.Worded));
                return;
            }

            foreach (var construct in analysis.Constructs.Where(c => _profile.RejectedPatternConstructs.Contains(c)).OrderBy(c => c, StringComparer.Ordinal))
            {
                var fix = $"Fix: rewrite the pattern without it (profile '{_profile.Name}'), or check it in your code after the answer.";
                Problems.Add(construct switch
                {
                    // The API's words: its pattern compiler has no \p{..} (Alishahryar1/free-claude-code#1730), so it is "not a 'regex'".
                    PatternGrammar.UnicodePropertyEscape => new StrictSchemaProblem(context, $"'{pattern.Value.Text}' is not a 'regex'. (Unicode property escapes such as \\p{{L}} are not supported.) {fix}", pattern.Value.Start, pattern.Value.Length, StrictProblemStyle.Worded),

                    // The API's words for lookaround (existential-birds/daydream#304, vercel/ai#21037); the same form for backreferences.
                    _ => new StrictSchemaProblem(context, $"Invalid JSON schema: regex {(construct == PatternGrammar.Lookaround ? "lookaround is" : "backreferences are")} not supported. Found at {at}. {fix}", pattern.Value.Start, pattern.Value.Length, StrictProblemStyle.Worded),
                });
            }
        }

        private void Enum(JsonValue values, List<string> context)
        {
            _enumValues += values.Items.Count;
            var strings = values.Items.Where(v => v.Kind == JsonKind.String).Select(v => v.Text!).ToList();
            var length = strings.Sum(s => s.Length);
            _stringLength += length;
            if (strings.Count > _limits.LargeEnumThreshold && length > _limits.MaxLargeEnumStringLength)
            {
                Problems.Add(new StrictSchemaProblem(context, $"a string enum of more than {_limits.LargeEnumThreshold} values may total at most {_limits.MaxLargeEnumStringLength} characters; this one has {strings.Count} values and {length} characters (profile '{_profile.Name}')", values.Start, 1));
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

    /// <summary>
    /// RFC 3986 URI-reference: only unreserved, reserved and percent-encoded characters, and a scheme, when there is one,
    /// of a letter followed by letters, digits, '+', '-' or '.'. (A relative reference whose first segment holds ':'
    /// is not one.)
    /// </summary>
    internal static bool IsUriReference(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !IsHex(value[i + 1]) || !IsHex(value[i + 2]))
                {
                    return false;
                }

                i += 2;
                continue;
            }

            var allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/?#[]@!$&'()*+,;=".IndexOf(c) >= 0;
            if (!allowed)
            {
                return false;
            }
        }

        if (value.IndexOf('#') != value.LastIndexOf('#'))
        {
            return false;
        }

        var colon = value.IndexOf(':');
        var delimiter = value.IndexOfAny(['/', '?', '#']);
        if (colon >= 0 && (delimiter < 0 || colon < delimiter))
        {
            var scheme = value.Substring(0, colon);
            return scheme.Length > 0 && char.IsLetter(scheme[0]) && scheme.All(c => (c < 128 && char.IsLetterOrDigit(c)) || c is '+' or '-' or '.');
        }

        return true;
    }

    private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
