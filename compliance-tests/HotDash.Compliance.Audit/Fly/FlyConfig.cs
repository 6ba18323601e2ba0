using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace HotDash.Compliance.Audit.Fly;

/// <summary>A fly.toml that cannot be used: where (file:line:col) and why.</summary>
public sealed class FlyConfigException(string file, int line, int column, string message)
    : Exception($"{file}({line},{column}): {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = message;
}

/// <summary>One machine-size section (<c>[[vm]]</c>, <c>[vm]</c>, <c>[[compute]]</c>, <c>vm.size = ...</c>) and where it stands.</summary>
public sealed record FlySection(string Key, int Number, IReadOnlyList<string>? Processes, IReadOnlyDictionary<string, object?> Values, int Line, IReadOnlyDictionary<string, int> KeyLines)
{
    /// <summary>How the report names it: "[[vm]] #2 (processes = ["worker"])".</summary>
    public string Describe() =>
        (Key == "http_service" ? "[http_service]" : $"[[{Key}]] #{Number}") + (Processes is { Count: > 0 } ? $" (processes = [{string.Join(", ", Processes.Select(p => $"\"{p}\""))}])" : " (no processes filter)");

    public int LineOf(string key) => KeyLines.TryGetValue(key, out var line) ? line : Line;
}

/// <summary>A process group's effective memory, or why it has none, with the section and line that decide it.</summary>
public sealed record GroupSize(string Group, int? MemoryMb, FlySection? Section, int Line, IReadOnlyList<string> Evidence, string? Error);

/// <summary>
/// A fly.toml, parsed with Tomlyn (its syntax and duplicate-key diagnostics are errors with file:line:col),
/// and the memory of each process group computed as flyctl computes it (see the test project's TestData/fly/SOURCES.md):
/// per group one whole section applies (the last naming the group, else the first without a processes
/// filter, else none); within it the size preset, then memory, then a non-zero memory_mb.
/// The values are read from Tomlyn's syntax tree, which also gives every key its line. (Tomlyn 2.10's
/// TomlTable model drops earlier [[vm]] entries when another table header stands between two of them,
/// as in flyctl's own tomachine-compute.toml; the syntax tree keeps them all.)
/// </summary>
public sealed class FlyConfig
{
    private static readonly string[] SectionKeys = ["vm", "compute", "computes"];

    private FlyConfig(string path, string? appName, IReadOnlyList<string> groups, int processesLine, IReadOnlyList<FlySection> sections, IReadOnlyList<FlySection> services, string? primaryRegion, bool hasProcesses)
    {
        Path = path;
        AppName = appName;
        Groups = groups;
        ProcessesLine = processesLine;
        Sections = sections;
        Services = services;
        PrimaryRegion = primaryRegion;
        _hasProcesses = hasProcesses;
    }

    private readonly bool _hasProcesses;

    /// <summary>[http_service] and each [[services]], in file order (Key "http_service" or "services").</summary>
    public IReadOnlyList<FlySection> Services { get; }

    public string? PrimaryRegion { get; }

    /// <summary>
    /// The group a service without `processes` routes to, as flyctl's DefaultProcessName: "app" when there is no
    /// [processes] or it has an "app" group, else the first group in ordinal order.
    /// </summary>
    public string DefaultGroup => !_hasProcesses || Groups.Contains("app") ? "app" : Groups.Order(StringComparer.Ordinal).First();

    public string Path { get; }

    public string? AppName { get; }

    /// <summary>The process groups: keys of [processes], or "app" when there are none.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Line of [processes] (1 when the file has none).</summary>
    public int ProcessesLine { get; }

    public IReadOnlyList<FlySection> Sections { get; }

    public static FlyConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FlyConfigException(path, 0, 0, "the file does not exist");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static FlyConfig Parse(string text, string path)
    {
        DocumentSyntax syntax;
        try
        {
            syntax = SyntaxParser.Parse(text, path, true);
        }
        catch (TomlException e)
        {
            throw new FlyConfigException(path, e.Line ?? 0, e.Column ?? 0, "invalid TOML: " + e.Message);
        }

        var firstError = syntax.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
        if (firstError is not null)
        {
            throw new FlyConfigException(path, firstError.Span.Start.Line + 1, firstError.Span.Start.Column + 1,
                "invalid TOML: " + firstError.Message.Replace("\n", " ", StringComparison.Ordinal).Replace("\u2424", " ", StringComparison.Ordinal));
        }

        var appName = syntax.KeyValues.FirstOrDefault(kv => KeyText(kv.Key) == "app")?.Value is StringValueSyntax app ? app.Value : null;
        var (groups, processesLine) = ReadGroups(syntax, path);
        var sections = ReadSections(syntax, path);
        var services = ReadServices(syntax, path);
        var primaryRegion = syntax.KeyValues.FirstOrDefault(kv => KeyText(kv.Key) == "primary_region")?.Value is StringValueSyntax region ? region.Value : null;
        var hasProcesses = syntax.Tables.Any(t => t.Kind == SyntaxKind.Table && KeyText(t.Name) == "processes");
        return new FlyConfig(path, appName, groups, processesLine, sections, services, primaryRegion, hasProcesses);
    }
    /// <summary>The effective memory of <paramref name="group"/>, exactly as flyctl would size its machines.</summary>
    public GroupSize SizeOf(string group)
    {
        var section = Sections.LastOrDefault(s => s.Processes is { Count: > 0 } p && p.Contains(group))
                      ?? Sections.FirstOrDefault(s => s.Processes is not { Count: > 0 });
        if (section is null)
        {
            return new GroupSize(group, null, null, ProcessesLine, [$"no [[vm]]/[[compute]] section names '{group}' and none applies to every group"], null);
        }

        var evidence = new List<string> { $"section {section.Describe()} at line {section.Line} applies to '{group}'" };
        string size;
        if (section.Values.TryGetValue("size", out var sizeValue))
        {
            if (sizeValue is not string named || !FlyMemory.Presets.ContainsKey(named))
            {
                return Invalid(group, section, "size", $"size {Render(sizeValue)} is not a machine size flyctl knows (known: {string.Join(", ", FlyMemory.Presets.Keys)})");
            }

            size = named;
            evidence.Add($"size = \"{size}\" ({FlyMemory.Presets[size]} MB)");
        }
        else
        {
            size = section.Values.ContainsKey("gpu_kind") ? FlyMemory.DefaultGpuSize : FlyMemory.DefaultSize;
            evidence.Add($"no size: flyctl starts from {size} ({FlyMemory.Presets[size]} MB){(size == FlyMemory.DefaultGpuSize ? " because gpu_kind is set" : string.Empty)}");
        }

        var memory = FlyMemory.Presets[size];
        if (section.Values.TryGetValue("memory", out var memoryValue))
        {
            if (!FlyMemory.TryParse(memoryValue, out memory, out var error))
            {
                return Invalid(group, section, "memory", error);
            }

            evidence.Add($"memory = {Render(memoryValue)} ({memory} MB) overrides the size");
        }

        if (section.Values.TryGetValue("memory_mb", out var memoryMbValue))
        {
            if (memoryMbValue is not long memoryMb || memoryMb < 0 || memoryMb > int.MaxValue)
            {
                return Invalid(group, section, "memory_mb", $"memory_mb must be a non-negative integer (MB), not {Render(memoryMbValue)}");
            }

            if (memoryMb > 0)
            {
                memory = (int)memoryMb;
                evidence.Add($"memory_mb = {memoryMb} overrides memory");
            }
        }

        return new GroupSize(group, memory, section, section.Line, evidence, null);
    }

    private GroupSize Invalid(string group, FlySection section, string key, string error) =>
        new(group, null, section, section.LineOf(key), [$"section {section.Describe()} at line {section.Line}"], error);

    private static string Render(object? value) => value switch
    {
        string s => $"\"{s}\"",
        null => "nothing",
        long or int => value.ToString()!,
        _ => $"a {FlyMemory.Describe(value)}",
    };

    private static (IReadOnlyList<string> Groups, int Line) ReadGroups(DocumentSyntax syntax, string path)
    {
        if (syntax.Tables.FirstOrDefault(t => t.Kind == SyntaxKind.Table && KeyText(t.Name) == "processes") is { } table)
        {
            var names = table.Items.Select(item => KeyText(item.Key)).Distinct().ToList();
            return (names.Count > 0 ? names : ["app"], LineOf(table));
        }

        if (syntax.KeyValues.FirstOrDefault(kv => KeyText(kv.Key) == "processes") is { } keyValue)
        {
            return keyValue.Value switch
            {
                InlineTableSyntax inline when inline.Items.Any() => (inline.Items.Select(i => KeyText(i.KeyValue?.Key)).ToList(), LineOf(keyValue)),
                InlineTableSyntax => (["app"], LineOf(keyValue)),

                // Legacy `processes = []`: one group, app.
                ArraySyntax array when !array.Items.Any() => (["app"], LineOf(keyValue)),
                _ => throw new FlyConfigException(path, LineOf(keyValue), 1, "[processes] must be a table of group = command"),
            };
        }

        return (["app"], 1);
    }

    private static List<FlySection> ReadSections(DocumentSyntax syntax, string path)
    {
        var found = new List<(string Key, int Line, Dictionary<string, object?> Values, Dictionary<string, int> KeyLines)>();
        foreach (var key in SectionKeys)
        {
            (string Key, int Line, Dictionary<string, object?> Values, Dictionary<string, int> KeyLines)? dotted = null;
            foreach (var keyValue in syntax.KeyValues)
            {
                var name = KeyText(keyValue.Key);
                if (name == key)
                {
                    // vm = { ... } or vm = [{ ... }, { ... }]
                    var tables = keyValue.Value switch
                    {
                        InlineTableSyntax inline => [inline],
                        ArraySyntax array when array.Items.All(i => i.Value is InlineTableSyntax) => array.Items.Select(i => (InlineTableSyntax)i.Value!).ToList(),
                        _ => throw new FlyConfigException(path, LineOf(keyValue), 1, $"'{key}' must be a table or an array of tables, not {Describe(keyValue.Value)}"),
                    };
                    foreach (var inline in tables)
                    {
                        var (values, lines) = Read(inline.Items.Select(i => i.KeyValue));
                        found.Add((key, LineOf(keyValue), values, lines));
                    }
                }
                else if (name.StartsWith(key + ".", StringComparison.Ordinal))
                {
                    // vm.size = "..." builds one table at the root.
                    dotted ??= (key, LineOf(keyValue), new Dictionary<string, object?>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));
                    var member = name[(key.Length + 1)..];
                    dotted.Value.Values[member] = ToValue(keyValue.Value);
                    dotted.Value.KeyLines[member] = LineOf(keyValue);
                }
            }

            if (dotted is not null)
            {
                found.Add(dotted.Value);
            }

            foreach (var table in syntax.Tables.Where(t => KeyText(t.Name) == key))
            {
                var (values, lines) = Read(table.Items);
                found.Add((key, LineOf(table), values, lines));
            }
        }

        // flyctl reads the sections in file order; they are numbered per key as the file writes them.
        var sections = new List<FlySection>();
        foreach (var section in found.OrderBy(f => f.Line))
        {
            var number = sections.Count(s => s.Key == section.Key) + 1;
            sections.Add(new FlySection(section.Key, number, ReadFilter(section.Values, section.Key, section.Line, path), section.Values, section.Line, section.KeyLines));
        }

        return sections;
    }

    /// <summary>[http_service] and every [[services]] table (not their sub-tables such as [[services.ports]]).</summary>
    private static List<FlySection> ReadServices(DocumentSyntax syntax, string path)
    {
        var services = new List<FlySection>();
        foreach (var table in syntax.Tables.Where(t => KeyText(t.Name) is "http_service" or "services").OrderBy(LineOf))
        {
            var key = KeyText(table.Name);
            var (values, lines) = Read(table.Items);
            var number = services.Count(x => x.Key == key) + 1;
            services.Add(new FlySection(key, number, ReadFilter(values, key, LineOf(table), path), values, LineOf(table), lines));
        }

        return services;
    }

    private static IReadOnlyList<string>? ReadFilter(IReadOnlyDictionary<string, object?> values, string key, int line, string path)
    {
        if (!values.TryGetValue("processes", out var processes))
        {
            return null;
        }

        if (processes is List<object?> array && array.All(p => p is string))
        {
            return array.Cast<string>().ToList();
        }

        throw new FlyConfigException(path, line, 1, $"[{key}] processes must be an array of group names, not {(processes is null ? "nothing" : "a " + FlyMemory.Describe(processes))}");
    }

    private static (Dictionary<string, object?> Values, Dictionary<string, int> Lines) Read(IEnumerable<KeyValueSyntax?> items)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items.OfType<KeyValueSyntax>())
        {
            var name = KeyText(item.Key);
            values[name] = ToValue(item.Value);
            lines[name] = LineOf(item);
        }

        return (values, lines);
    }

    /// <summary>string, long, double, bool, a list, or a dictionary for an inline table; dates as their text.</summary>
    private static object? ToValue(ValueSyntax? value) => value switch
    {
        StringValueSyntax s => s.Value,
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f => f.Value,
        BooleanValueSyntax b => b.Value,
        ArraySyntax a => a.Items.Select(item => ToValue(item.Value)).ToList(),
        InlineTableSyntax t => Read(t.Items.Select(i => i.KeyValue)).Values,
        null => null,
        _ => value.ToString()?.Trim(),
    };

    private static string Describe(ValueSyntax? value) => value switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        ArraySyntax => "an array of values",
        _ => "that value",
    };

    private static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;

    private static string KeyText(KeySyntax? key) =>
        key is null ? string.Empty : string.Concat(key.ToString().Where(c => !char.IsWhiteSpace(c))).Replace("\"", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal);
}
