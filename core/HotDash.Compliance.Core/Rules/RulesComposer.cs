using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HotDash.Compliance.Json;

namespace HotDash.Compliance.Rules;

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

    /// <summary>Syntax, resolution, schema and <see cref="RulesBeyondSchema"/> problems, each in the document it is in (<see cref="JsonProblem.Origin"/>).</summary>
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
        if (merged.Get(RemoveKey) is { Kind: JsonKind.Array } orphan)
        {
            problems.Add(new JsonProblem("$.remove", "this file extends nothing, so there is nothing to remove: \"remove\" drops entries that an \"extends\" brings in", orphan));
        }

        for (var i = documents.Count - 2; i >= 0; i--)
        {
            merged = Merge(Remove(merged, documents[i], schemaRoot, problems), documents[i], schemaRoot, schemaRoot);
        }

        merged = JsonValue.Combined(merged, merged.Members.Where(m => m.Name is not ("extends" or RemoveKey)).ToList());

        // The merged rules are validated as a whole, but each problem is told in the terms of the file that holds it:
        // its JSON path there (apps[0] of your file, not apps[1] of the merge), at its line and column there.
        var roots = documents.Where(d => d.Origin is not null).GroupBy(d => d.Origin!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        problems.AddRange(schema.Validate(merged).Select(p => InItsFile(p, merged, roots)));
        if (problems.Count == 0)
        {
            // What the schema cannot say, asked of a document the schema took (the checks rely on its shape).
            problems.AddRange(RulesBeyondSchema.Problems(merged).Select(p => InItsFile(p, merged, roots)));
        }

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

    /// <summary>
    /// A problem of the merged rules with its JSON path as the file that holds it spells it: the path of the value in
    /// the merge is replaced by its path in that file, and what the validator added past the value (a missing
    /// member's name) is kept.
    /// </summary>
    private static JsonProblem InItsFile(JsonProblem problem, JsonValue merged, Dictionary<string, JsonValue> roots)
    {
        if (problem.Origin is not { } origin || !roots.TryGetValue(origin, out var own)
            || PathAt(merged, origin, problem.Start, "$") is not { } inMerge || PathAt(own, origin, problem.Start, "$") is not { } inFile
            || !problem.Path.StartsWith(inMerge, StringComparison.Ordinal))
        {
            return problem;
        }

        var path = inFile + problem.Path.Substring(inMerge.Length);
        return path == problem.Path ? problem : new JsonProblem(path, problem.Message, problem.Start, problem.Length, problem.Origin);
    }

    /// <summary>The JSON path of the innermost value written in <paramref name="origin"/> at <paramref name="offset"/>, or null.</summary>
    private static string? PathAt(JsonValue value, string origin, int offset, string path)
    {
        foreach (var member in value.Members)
        {
            if (PathAt(member.Value, origin, offset, path + "." + member.Name) is { } inner)
            {
                return inner;
            }
        }

        for (var i = 0; i < value.Items.Count; i++)
        {
            if (PathAt(value.Items[i], origin, offset, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]") is { } inner)
            {
                return inner;
            }
        }

        return value.Start == offset && string.Equals(value.Origin, origin, StringComparison.Ordinal) ? path : null;
    }

    /// <summary>The member that lists inherited named entries to drop: <c>"remove": ["fly.apps[hotdash-chatwoot]"]</c>.</summary>
    public const string RemoveKey = "remove";

    /// <summary>
    /// Drops from what is inherited the named entries that <paramref name="own"/> lists under "remove", before its own
    /// values merge in: "fly.apps[api]" removes the app named api, "fly.apps[api].processes[worker]" one of its groups.
    /// An entry that names nothing inherited is a problem at that entry: a stale removal hides nothing silently.
    /// </summary>
    private static JsonValue Remove(JsonValue inherited, JsonValue own, JsonValue schemaRoot, List<JsonProblem> problems)
    {
        if (own.Get(RemoveKey) is not { Kind: JsonKind.Array } removals)
        {
            return inherited;
        }

        for (var i = 0; i < removals.Items.Count; i++)
        {
            var entry = removals.Items[i];
            if (entry.Kind != JsonKind.String)
            {
                continue; // The schema reports it.
            }

            var segments = RemovalPath(entry.Text!);
            var problem = segments is null
                ? $"'{entry.Text}' is not a path to a named entry: write it as array[name], e.g. \"fly.apps[hotdash-chatwoot]\" or \"fly.apps[api].processes[worker]\""
                : null;
            var result = segments is null ? null : RemoveAt(inherited, segments, 0, schemaRoot, schemaRoot, string.Empty, ref problem);
            if (result is null)
            {
                problems.Add(new JsonProblem($"$.remove[{i}]", problem!, entry));
            }
            else
            {
                inherited = result;
            }
        }

        return inherited;
    }

    /// <summary>"fly.apps[api].processes[worker]" as (fly, null), (apps, api), (processes, worker); null when malformed or when it ends in no name.</summary>
    private static List<(string Name, string? Key)>? RemovalPath(string path)
    {
        var segments = new List<(string, string?)>();
        var at = 0;
        while (at < path.Length)
        {
            var end = at;
            while (end < path.Length && path[end] != '.' && path[end] != '[')
            {
                end++;
            }

            var name = path.Substring(at, end - at);
            string? key = null;
            if (end < path.Length && path[end] == '[')
            {
                var close = path.IndexOf(']', end);
                if (close < 0)
                {
                    return null;
                }

                key = path.Substring(end + 1, close - end - 1);
                end = close + 1;
            }

            if (name.Length == 0 || key is { Length: 0 } || (end < path.Length && path[end] != '.'))
            {
                return null;
            }

            segments.Add((name, key));
            at = end + 1;
            if (end == path.Length - 1)
            {
                return null; // A trailing dot.
            }
        }

        return segments.Count > 0 && segments[segments.Count - 1].Item2 is not null ? segments : null;
    }

    private static JsonValue? RemoveAt(JsonValue value, List<(string Name, string? Key)> segments, int index, JsonValue? schema, JsonValue schemaRoot, string walked, ref string? problem)
    {
        schema = Resolve(schema, schemaRoot);
        var (name, key) = segments[index];
        var here = walked.Length == 0 ? name : walked + "." + name;
        var members = value.Kind == JsonKind.Object ? new List<JsonMember>(value.Members) : null;
        var at = members?.FindLastIndex(m => m.Name == name) ?? -1;
        if (members is null || at < 0)
        {
            problem = $"nothing inherited is at '{here}'";
            return null;
        }

        var member = members[at];
        var memberSchema = Resolve(schema?.Get("properties")?.Get(name), schemaRoot);
        JsonValue? replaced;
        if (key is null)
        {
            replaced = RemoveAt(member.Value, segments, index + 1, memberSchema, schemaRoot, here, ref problem);
        }
        else if (member.Value.Kind != JsonKind.Array || memberSchema?.GetString("x-mergeKey") is not { } mergeKey)
        {
            problem = $"'{here}' is not a list of named entries, so '{here}[{key}]' names nothing";
            return null;
        }
        else
        {
            var items = new List<JsonValue>(member.Value.Items);
            var found = items.FindIndex(i => i.Kind == JsonKind.Object && i.GetString(mergeKey) == key);
            if (found < 0)
            {
                var names = items.Where(i => i.Kind == JsonKind.Object).Select(i => i.GetString(mergeKey)).Where(n => n is not null).ToList();
                problem = $"no inherited entry of '{here}' has {mergeKey} '{key}' (inherited: {(names.Count == 0 ? "none" : string.Join(", ", names))})";
                return null;
            }

            if (index == segments.Count - 1)
            {
                items.RemoveAt(found);
            }
            else
            {
                var inner = RemoveAt(items[found], segments, index + 1, memberSchema.Get("items"), schemaRoot, $"{here}[{key}]", ref problem);
                if (inner is null)
                {
                    return null;
                }

                items[found] = inner;
            }

            replaced = JsonValue.Combined(member.Value, items);
        }

        if (replaced is null)
        {
            return null;
        }

        members[at] = new JsonMember(member.Name, member.NameStart, member.NameLength, replaced);
        return JsonValue.Combined(value, members);
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

    /// <summary>The reason an <c>extends</c> path names no file, in the same words at build time and at test time.</summary>
    public static string DoesNotExist(string target) =>
        $"{target} does not exist (a path is relative to the file that extends it; the built-in rules are \"{Canonical}\")";

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
