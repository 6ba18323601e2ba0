using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace HotDash.Compliance.Audit.Fly;

/// <summary>A machines snapshot that cannot be read: where (file:line:col) and why.</summary>
public sealed class FlyMachinesException(string message) : Exception(message);

/// <summary>
/// One running machine as a snapshot shows it. From `fly scale show --json` an entry stands for
/// <see cref="Count"/> machines of a group. <see cref="Problem"/> is set when it cannot be checked.
/// </summary>
public sealed record FlyMachine(string Id, string? State, string? Group, int? MemoryMb, int Count, string Source, string? Problem)
{
    /// <summary>The region it runs in (`fly machines list --json`); null where the snapshot does not say.</summary>
    public string? Region { get; init; }
}

/// <summary>
/// Reads `fly machines list --json` (config.guest.memory_mb per config.metadata.fly_process_group, or the
/// older process_group) and `fly scale show --json` (Process, Memory). Release-command, console and
/// test machines are not process-group machines and are left out, as are destroyed ones.
/// </summary>
public static class FlyMachinesSnapshot
{
    private static readonly HashSet<string> InternalGroups = new(StringComparer.Ordinal)
    {
        "fly_app_release_command", "fly_app_console", "fly_app_test_machine_command", "release_command",
    };

    public static IReadOnlyList<FlyMachine> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FlyMachinesException($"{path}: the machines snapshot does not exist (HOTDASH_FLY_MACHINES)");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<FlyMachine> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FlyMachinesException($"{source}({(e.LineNumber ?? 0) + 1},{(e.BytePositionInLine ?? 0) + 1}): not valid JSON: {e.Message.Split(" Path:")[0]}");
        }
        catch (ArgumentException)
        {
            // A lone UTF-16 surrogate: only possible in text that did not come from a file.
            throw new FlyMachinesException($"{source}: not valid text: a lone UTF-16 surrogate cannot be encoded as UTF-8");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FlyMachinesException($"{source}: expected the JSON array printed by `fly machines list --json` or `fly scale show --json`, found a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }

            var machines = new List<FlyMachine>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var where = $"{source}[{index++}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new FlyMachinesException($"{where}: expected a machine object, found a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
                }

                var machine = element.TryGetProperty("Process", out _) ? FromScaleShow(element, where) : FromMachinesList(element, where);
                if (machine is not null)
                {
                    machines.Add(machine);
                }
            }

            return machines;
        }
    }

    private static FlyMachine? FromMachinesList(JsonElement machine, string where)
    {
        var id = String(machine, "id") ?? throw new FlyMachinesException($"{where}: a machine without an \"id\"; is this `fly machines list --json` output?");
        var state = String(machine, "state");
        if (state is "destroyed" or "destroying")
        {
            return null;
        }

        if (!machine.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            return new FlyMachine(id, state, null, null, 1, where, "it has no config in the snapshot (being created or replaced?), so its size cannot be checked") { Region = String(machine, "region") };
        }

        string? group = null;
        if (config.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            group = String(metadata, "fly_process_group") ?? String(metadata, "process_group");
        }

        if (group is not null && InternalGroups.Contains(group))
        {
            return null;
        }

        var memoryValue = config.TryGetProperty("guest", out var guest) && guest.ValueKind == JsonValueKind.Object &&
                          guest.TryGetProperty("memory_mb", out var memoryMb) ? memoryMb : (JsonElement?)null;
        var memory = Integer(memoryValue);
        var problem = group is null ? "it has no fly_process_group metadata, so it belongs to no process group"
            : memoryValue is null ? "config.guest.memory_mb is missing"
            : memory is null ? $"config.guest.memory_mb is {memoryValue.Value.ValueKind.ToString().ToLowerInvariant()} {memoryValue.Value.GetRawText()}, not a whole number of MB"
            : null;
        return new FlyMachine(id, state, group, memory, 1, where, problem) { Region = String(machine, "region") };
    }

    private static FlyMachine FromScaleShow(JsonElement entry, string where)
    {
        var group = String(entry, "Process");
        var memory = entry.TryGetProperty("Memory", out var m) ? Integer(m) : null;
        var count = (entry.TryGetProperty("Count", out var c) ? Integer(c) : null) ?? 1;
        return new FlyMachine($"{count} machine(s) of '{group}' (fly scale show)", "started", group, memory, count, where,
            memory is null ? "\"Memory\" is missing or not a whole number of MB" : null);
    }

    /// <summary>A whole number, or null for anything else (TryGetInt32 throws on a non-number).</summary>
    private static int? Integer(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var value) ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
