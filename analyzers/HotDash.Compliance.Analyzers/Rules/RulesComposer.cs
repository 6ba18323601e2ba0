using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HotDash.Compliance.Analyzers.Json;

namespace HotDash.Compliance.Analyzers.Rules;

/// <summary>One rules document as written: where it comes from and its text.</summary>
internal sealed class RulesText
{
    public RulesText(string origin, string text)
    {
        Origin = origin;
        Text = text;
    }

    /// <summary>A file path, or <see cref="RulesComposer.Canonical"/> for the built-in canonical rules.</summary>
    public string Origin { get; }

    public string Text { get; }
}

/// <summary>Where one value of the effective rules was written (a JSON Pointer into them, the document, line and column).</summary>
internal sealed class RulesProvenance
{
    public RulesProvenance(string pointer, string origin, int line, int column)
    {
        Pointer = pointer;
        Origin = origin;
        Line = line;
        Column = column;
    }

    public string Pointer { get; }

    public string Origin { get; }

    public int Line { get; }

    public int Column { get; }
}

/// <summary>The effective rules of a rules file and every file it extends, or the problems found on the way.</summary>
internal sealed class ComposedRules
{
    public ComposedRules(JsonValue? root, IReadOnlyList<RulesText> sources, IReadOnlyList<JsonProblem> problems)
    {
        Root = root;
        Sources = sources;
        Problems = problems;
    }

    /// <summary>The merged document (without <c>extends</c>), values still pointing into the document each came from.</summary>
    public JsonValue? Root { get; }

    /// <summary>The documents, the file itself first, then what it extends, and so on.</summary>
    public IReadOnlyList<RulesText> Sources { get; }

    /// <summary>Syntax, resolution and schema problems, each in the document it is in (<see cref="JsonProblem.Origin"/>).</summary>
    public IReadOnlyList<JsonProblem> Problems { get; }

    public bool Extends => Sources.Count > 1;

    /// <summary>Where each value of the effective rules was written: every scalar and every array entry.</summary>
    public IReadOnlyList<RulesProvenance> Provenance()
    {
        var result = new List<RulesProvenance>();
        if (Root is null)
        {
            return result;
        }

        var lineStarts = Sources.ToDictionary(s => s.Origin, s => LineStarts(s.Text), StringComparer.Ordinal);
        void Add(string pointer, JsonValue value)
        {
            var origin = value.Origin ?? Sources[0].Origin;
            var (line, column) = lineStarts.TryGetValue(origin, out var starts) ? Position(starts, value.Start) : (0, 0);
            result.Add(new RulesProvenance(pointer.Length == 0 ? "/" : pointer, origin, line, column));
        }

        void Walk(string pointer, JsonValue value)
        {
            switch (value.Kind)
            {
                case JsonKind.Object:
                    foreach (var member in value.Members)
                    {
                        Walk(pointer + "/" + member.Name.Replace("~", "~0").Replace("/", "~1"), member.Value);
                    }

                    break;
                case JsonKind.Array:
                    for (var i = 0; i < value.Items.Count; i++)
                    {
                        var item = pointer + "/" + i.ToString(CultureInfo.InvariantCulture);
                        if (value.Items[i].Kind == JsonKind.Object)
                        {
                            Add(item, value.Items[i]);
                        }

                        Walk(item, value.Items[i]);
                    }

                    break;
                default:
                    Add(pointer, value);
                    break;
            }
        }

        Walk(string.Empty, Root);
        return result;
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(List<int> lineStarts, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - lineStarts[line] + 1);
    }
}

/// <summary>
/// Rules that hold only what differs: <c>"extends": "hotdash:canonical"</c> (the built-in canonical rules of
/// this version) or a path relative to the extending file, in chains. Objects merge member by member; arrays
/// whose entries are named (the schema's <c>x-mergeKey</c>: deprecated keys by key, Fly apps by name, process
/// groups by group, exemptions by table...) merge entry by entry, a child entry with a known name merging into
/// the inherited one; any other value (a string, a number, a list of names) replaces the inherited one. The
/// merged document is validated against the schema as a whole, and each problem is reported in the document
/// that holds the offending value. The analyzers and the test-time audit compile this one implementation.
/// </summary>
internal static class RulesComposer
{
    public const string Canonical = "hotdash:canonical";

    /// <summary>Longer chains are almost certainly a mistake, and a bound keeps a loop from running away.</summary>
    public const int MaxDepth = 8;

    /// <summary>
    /// Composes <paramref name="file"/> with what it extends. <paramref name="resolve"/> returns the document an
    /// <c>extends</c> value names, seen from the extending document, or null when there is none (with the reason).
    /// </summary>
    public static ComposedRules Compose(RulesText file, Func<string, RulesText, (RulesText? Document, string? Missing)> resolve, JsonSchemaSubsetValidator schema, JsonValue schemaRoot)
    {
        var sources = new List<RulesText>();
        var documents = new List<JsonValue>();
        var problems = new List<JsonProblem>();
        var current = file;
        while (current is not null)
        {
            sources.Add(current);
            var parsed = JsonParser.Parse(current.Text);
            if (!parsed.Succeeded)
            {
                problems.Add(new JsonProblem(string.Empty, parsed.Error!, parsed.ErrorOffset, 1, current.Origin));
                break;
            }

            var root = parsed.Value!.WithOrigin(current.Origin);
            documents.Add(root);
            var extends = root.Get("extends");
            if (extends is not { Kind: JsonKind.String })
            {
                // Absent, or not a string (the schema says so below).
                break;
            }

            if (documents.Count > MaxDepth)
            {
                problems.Add(new JsonProblem("$.extends", $"more than {MaxDepth} rules files extend one another; is there a loop?", extends));
                break;
            }

            var (next, missing) = resolve(extends.Text!, current);
            if (next is null)
            {
                problems.Add(new JsonProblem("$.extends", $"cannot extend '{extends.Text}': {missing}", extends));
                break;
            }

            if (sources.Any(s => string.Equals(s.Origin, next.Origin, StringComparison.Ordinal)))
            {
                problems.Add(new JsonProblem("$.extends", $"'{extends.Text}' is {next.Origin}, which already takes part in this chain: rules files cannot extend one another in a loop", extends));
                break;
            }

            current = next;
        }

        if (problems.Count > 0)
        {
            return new ComposedRules(null, sources, problems);
        }

        var merged = documents[documents.Count - 1];
        for (var i = documents.Count - 2; i >= 0; i--)
        {
            merged = Merge(merged, documents[i], schemaRoot, schemaRoot);
        }

        merged = JsonValue.Combined(merged, merged.Members.Where(m => m.Name != "extends").ToList());
        problems.AddRange(schema.Validate(merged));

        // An 'extends' that is not a string was dropped from the merge: report it in the file that wrote it.
        foreach (var document in documents)
        {
            if (document.Find("extends") is { Value.Kind: not JsonKind.String } wrong)
            {
                problems.Add(new JsonProblem("$.extends", "expected string (\"hotdash:canonical\" or a path relative to this file)", wrong.Value));
            }
        }

        return new ComposedRules(problems.Count == 0 ? merged : null, sources, problems);
    }

    private static JsonValue Merge(JsonValue inherited, JsonValue own, JsonValue? schema, JsonValue schemaRoot)
    {
        schema = Resolve(schema, schemaRoot);
        if (inherited.Kind == JsonKind.Object && own.Kind == JsonKind.Object)
        {
            var members = new List<JsonMember>(inherited.Members);
            foreach (var member in own.Members)
            {
                var at = members.FindLastIndex(m => m.Name == member.Name);
                if (at < 0)
                {
                    members.Add(member);
                    continue;
                }

                var value = Merge(members[at].Value, member.Value, schema?.Get("properties")?.Get(member.Name), schemaRoot);
                members[at] = new JsonMember(member.Name, member.NameStart, member.NameLength, value);
            }

            return JsonValue.Combined(own, members);
        }

        if (inherited.Kind == JsonKind.Array && own.Kind == JsonKind.Array && schema?.GetString("x-mergeKey") is { } key)
        {
            var items = new List<JsonValue>(inherited.Items);
            foreach (var item in own.Items)
            {
                var name = item.Kind == JsonKind.Object ? item.GetString(key) : null;
                var at = name is null ? -1 : items.FindIndex(i => i.Kind == JsonKind.Object && i.GetString(key) == name);
                if (at < 0)
                {
                    items.Add(item);
                }
                else
                {
                    items[at] = Merge(items[at], item, schema.Get("items"), schemaRoot);
                }
            }

            return JsonValue.Combined(own, items);
        }

        return own;
    }

    private static JsonValue? Resolve(JsonValue? schema, JsonValue schemaRoot)
    {
        const string Prefix = "#/definitions/";
        var guard = 0;
        while (schema?.GetString("$ref") is { } reference && reference.StartsWith(Prefix, StringComparison.Ordinal) && guard++ < 32)
        {
            schema = schemaRoot.Get("definitions")?.Get(reference.Substring(Prefix.Length));
        }

        return schema;
    }

    /// <summary>The path an <c>extends</c> value names, seen from the extending file; null for <see cref="Canonical"/>.</summary>
    public static string? RelativeTarget(string reference, string fromOrigin)
    {
        if (string.Equals(reference, Canonical, StringComparison.Ordinal))
        {
            return null;
        }

        var directory = System.IO.Path.GetDirectoryName(fromOrigin) ?? string.Empty;
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, reference));
    }

    /// <summary>The effective rules with where each value came from, as written beside the audit's report.</summary>
    public static string EffectiveRulesJson(ComposedRules composed, Func<RulesText, string> describeSource, Func<string, string> displayOrigin)
    {
        var text = new StringBuilder();
        text.Append("{\n  \"sources\": [");
        for (var i = 0; i < composed.Sources.Count; i++)
        {
            text.Append(i == 0 ? "\n    " : ",\n    ").Append(JsonValue.Quote(describeSource(composed.Sources[i])));
        }

        text.Append("\n  ],\n  \"rules\": ");
        text.Append(Indent(composed.Root!.ToJson()));
        text.Append(",\n  \"provenance\": {");
        var provenance = composed.Provenance();
        for (var i = 0; i < provenance.Count; i++)
        {
            text.Append(i == 0 ? "\n    " : ",\n    ").Append(JsonValue.Quote(provenance[i].Pointer)).Append(": ")
                .Append(JsonValue.Quote(displayOrigin(provenance[i].Origin) + ":" + provenance[i].Line.ToString(CultureInfo.InvariantCulture) + ":" + provenance[i].Column.ToString(CultureInfo.InvariantCulture)));
        }

        text.Append("\n  }\n}\n");
        return text.ToString();
    }

    private static string Indent(string json) => json.Replace("\n", "\n  ");
}
