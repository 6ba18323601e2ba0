using System.Collections.Generic;

namespace HotDash.Compliance.Analyzers.Json;

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
