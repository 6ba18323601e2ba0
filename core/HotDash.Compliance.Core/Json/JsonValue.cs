using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HotDash.Compliance.Json;

/// <summary>The kinds of JSON value, as RFC 8259 names them.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A parsed JSON value that remembers where it stands in its source text, so that a diagnostic
/// can point at the exact token (a rules-file key, a schema keyword inside a C# literal).
/// </summary>
internal sealed class JsonValue
{
    private JsonValue(JsonKind kind, int start, int length)
    {
        Kind = kind;
        Start = start;
        Length = length;
    }

    public JsonKind Kind { get; }

    /// <summary>
    /// The document this value was written in (a rules file's path, "hotdash:canonical"), when values from several
    /// documents are combined (rules that extend other rules); <see cref="Start"/> is an offset in that document.
    /// </summary>
    public string? Origin { get; private set; }

    /// <summary>Offset of the first character of the value in the parsed text.</summary>
    public int Start { get; }

    public int Length { get; private set; }

    /// <summary>The decoded string (String), or the number's source text (Number).</summary>
    public string? Text { get; private set; }

    /// <summary>Members in document order (Object). Duplicate names are kept, as System.Text.Json's JsonDocument does.</summary>
    public IReadOnlyList<JsonMember> Members { get; private set; } = [];

    /// <summary>Elements in document order (Array).</summary>
    public IReadOnlyList<JsonValue> Items { get; private set; } = [];

    public bool IsNumber => Kind == JsonKind.Number;

    public bool IsInteger => Kind == JsonKind.Number && Text!.IndexOfAny(['.', 'e', 'E']) < 0;

    public static JsonValue Scalar(JsonKind kind, int start, int length, string? text = null) =>
        new(kind, start, length) { Text = text };

    public static JsonValue Object(int start, int length, IReadOnlyList<JsonMember> members) =>
        new(JsonKind.Object, start, length) { Members = members };

    public static JsonValue Array(int start, int length, IReadOnlyList<JsonValue> items) =>
        new(JsonKind.Array, start, length) { Items = items };

    /// <summary>Marks this value and everything in it as written in <paramref name="origin"/>.</summary>
    public JsonValue WithOrigin(string origin)
    {
        Origin = origin;
        foreach (var member in Members)
        {
            member.Value.WithOrigin(origin);
        }

        foreach (var item in Items)
        {
            item.WithOrigin(origin);
        }

        return this;
    }

    /// <summary>A new object or array built from values of other documents, placed where <paramref name="at"/> stands.</summary>
    public static JsonValue Combined(JsonValue at, IReadOnlyList<JsonMember> members) =>
        new(JsonKind.Object, at.Start, at.Length) { Members = members, Origin = at.Origin };

    public static JsonValue Combined(JsonValue at, IReadOnlyList<JsonValue> items) =>
        new(JsonKind.Array, at.Start, at.Length) { Items = items, Origin = at.Origin };

    /// <summary>The value as indented JSON text (numbers as written; strings escaped as RFC 8259 requires).</summary>
    public string ToJson()
    {
        var text = new StringBuilder();
        Write(text, 0);
        return text.ToString();
    }

    private void Write(StringBuilder text, int depth)
    {
        switch (Kind)
        {
            case JsonKind.Object when Members.Count == 0:
                text.Append("{}");
                break;
            case JsonKind.Object:
                text.Append('{');
                for (var i = 0; i < Members.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                    WriteString(text, Members[i].Name);
                    text.Append(": ");
                    Members[i].Value.Write(text, depth + 1);
                }

                text.Append('\n').Append(' ', depth * 2).Append('}');
                break;
            case JsonKind.Array when Items.Count == 0:
                text.Append("[]");
                break;
            case JsonKind.Array:
                text.Append('[');
                for (var i = 0; i < Items.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                    Items[i].Write(text, depth + 1);
                }

                text.Append('\n').Append(' ', depth * 2).Append(']');
                break;
            case JsonKind.String:
                WriteString(text, Text!);
                break;
            case JsonKind.Number:
                text.Append(Text);
                break;
            case JsonKind.True:
                text.Append("true");
                break;
            case JsonKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>A string as a JSON string literal.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        WriteString(text, value);
        return text.ToString();
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>The last member with this name (the value a deserializer would keep), or null.</summary>
    public JsonMember? Find(string name)
    {
        JsonMember? found = null;
        foreach (var member in Members)
        {
            if (member.Name == name)
            {
                found = member;
            }
        }

        return found;
    }

    public JsonValue? Get(string name) => Find(name)?.Value;

    public string? GetString(string name) => Get(name) is { Kind: JsonKind.String } v ? v.Text : null;

    public bool? GetBoolean(string name) => Get(name)?.Kind switch
    {
        JsonKind.True => true,
        JsonKind.False => false,
        _ => null,
    };

    public long? GetInt64(string name) =>
        Get(name) is { IsInteger: true } v && long.TryParse(v.Text, out var n) ? n : null;

    public IEnumerable<JsonValue> GetItems(string name) => Get(name) is { Kind: JsonKind.Array } a ? a.Items : [];
}

/// <summary>An object member: its name, where the name token stands, and its value.</summary>
internal sealed class JsonMember
{
    public JsonMember(string name, int nameStart, int nameLength, JsonValue value)
    {
        Name = name;
        NameStart = nameStart;
        NameLength = nameLength;
        Value = value;
    }

    public string Name { get; }

    /// <summary>Offset of the opening quote of the name.</summary>
    public int NameStart { get; }

    /// <summary>Length of the name token, quotes included.</summary>
    public int NameLength { get; }

    public JsonValue Value { get; }
}
