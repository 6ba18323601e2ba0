using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Fly;

/// <summary>A machines snapshot and the app it belongs to (HOTDASH_FLY_MACHINES entries: app=path, or a path).</summary>
public sealed record MachinesSnapshotSource(string? App, string Path)
{
    public static IReadOnlyList<MachinesSnapshotSource> FromSetting(IEnumerable<string> entries) =>
        entries.Select(e => e.Contains('=', StringComparison.Ordinal) ? new MachinesSnapshotSource(e[..e.IndexOf('=', StringComparison.Ordinal)], e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..]) : new MachinesSnapshotSource(null, e)).ToList();
}

/// <summary>A machines snapshot that could not be read, and why: its machines were not audited.</summary>
public sealed record UnreadableSnapshot(string? App, string Path, string Reason);

/// <summary>The machines of each app from the snapshots, the warnings about them, and the snapshots that could not be read.</summary>
public sealed record LoadedMachines(Dictionary<string, List<FlyMachine>> ByApp, IReadOnlyList<Finding> Findings, IReadOnlyList<UnreadableSnapshot> Unreadable);

/// <summary>The Fly audit's findings, and the (app, process group) subjects it judged.</summary>
public sealed record FlyAuditResult(IReadOnlyList<Subject> Subjects, IReadOnlyList<Finding> Findings, bool MachinesAudited)
{
    public string Summary
    {
        get
        {
            var ok = Subjects.Count(s => !Findings.Any(f => f.About == s && f.Fails));
            return $"Fly memory: {ok}/{Subjects.Count} process groups at their declared minimum{(MachinesAudited ? " (fly.toml and live machines)" : " (fly.toml only)")}";
        }
    }
}

/// <summary>
/// HD7001-HD7004: every (app, process group) the rules name has at least its minimum memory, as its
/// fly.toml declares it and as its live machines run, and the machines run what fly.toml declares.
/// </summary>
public sealed class FlyMemoryAudit
{
    public const string Concern = "fly-memory";

    public FlyAuditResult Run(RulesDocument rules, string repoRoot, IReadOnlyList<MachinesSnapshotSource> snapshots) =>
        Run(rules, repoRoot, LoadSnapshots(rules, snapshots));

    public FlyAuditResult Run(RulesDocument rules, string repoRoot, LoadedMachines machines)
    {
        var findings = new List<Finding>(machines.Findings);
        var subjects = new List<Subject>();
        var machinesByApp = machines.ByApp;

        foreach (var app in rules.Fly.Apps)
        {
            var path = System.IO.Path.GetFullPath(app.Config, repoRoot);
            var appSubject = Subject.App(app.Name);
            FlyConfig config;
            try
            {
                config = FlyConfig.Load(path);
            }
            catch (FlyConfigException e)
            {
                subjects.AddRange(app.Processes.Select(p => GroupSubject(app.Name, p.Group)));
                var missing = e.Line == 0;
                foreach (var process in app.Processes)
                {
                    findings.Add(new Finding(missing ? RuleIds.FlyDeclarationMissing : RuleIds.FlyConfigInvalid, Severity.Error, Concern, GroupSubject(app.Name, process.Group),
                        missing ? path : $"{e.File}:{e.Line}:{e.Column}",
                        missing
                            ? $"The rules name app '{app.Name}' with its fly.toml at {app.Config} (under HOTDASH_REPO_ROOT), but there is no such file. Fix the path in the rules, or set HOTDASH_REPO_ROOT."
                            : $"fly.toml of app '{app.Name}' cannot be read: {e.Reason}. flyctl would reject it too; fix it before its memory can be audited.",
                        [$"config: {path}"]));
                }

                continue;
            }

            if (config.AppName is { } declared && !string.Equals(declared, app.Name, StringComparison.Ordinal))
            {
                findings.Add(new Finding(RuleIds.FlyDeclarationMissing, Severity.Error, Concern, appSubject, $"{path}:1",
                    $"The rules name app '{app.Name}', but {app.Config} declares app = '{declared}'. Point the rules at the right fly.toml, or fix the app name.",
                    [$"fly.toml app = '{declared}'"]));
            }

            foreach (var process in app.Processes)
            {
                var subject = GroupSubject(app.Name, process.Group);
                subjects.Add(subject);
                AuditGroup(app, process, config, path, subject, machinesByApp.GetValueOrDefault(app.Name), findings);
            }
        }

        return new FlyAuditResult(subjects, findings, machinesByApp.Count > 0);
    }

    public static Subject GroupSubject(string app, string group) => Findings.Subject.ProcessGroup(app, group);

    private static void AuditGroup(FlyAppRule app, FlyProcessRule process, FlyConfig config, string path, Subject subject, List<FlyMachine>? machines, List<Finding> findings)
    {
        if (!TryMinimum(process.MinMemory, out var minimum))
        {
            // The schema validates minMemory; a value it lets through but flyctl's units reject is still reported.
            findings.Add(new Finding(RuleIds.FlyConfigInvalid, Severity.Error, Concern, subject, "rules file: fly.apps", $"minMemory {process.MinMemory} of {subject} is not a memory size.", []));
            return;
        }

        if (!config.Groups.Contains(process.Group))
        {
            findings.Add(new Finding(RuleIds.FlyDeclarationMissing, Severity.Error, Concern, subject, $"{path}:{config.ProcessesLine}",
                $"The rules require process group '{process.Group}' of app '{app.Name}' to have at least {minimum} MB, but fly.toml declares no such group (groups: {string.Join(", ", config.Groups)}). Add it to [processes], or fix the rules.",
                [$"groups in fly.toml: {string.Join(", ", config.Groups)}"]));
            return;
        }

        var size = config.SizeOf(process.Group);
        var location = $"{path}:{size.Line}";
        var evidence = size.Evidence.Append($"required: at least {minimum} MB").ToList();
        if (size.Error is not null)
        {
            findings.Add(new Finding(RuleIds.FlyConfigInvalid, Severity.Error, Concern, subject, location,
                $"fly.toml sizes process group '{process.Group}' of app '{app.Name}' with a value flyctl rejects: {size.Error}.", evidence));
        }
        else if (size.MemoryMb is null)
        {
            findings.Add(new Finding(RuleIds.FlyDeclarationMissing, Severity.Error, Concern, subject, location,
                $"fly.toml gives process group '{process.Group}' of app '{app.Name}' no size at all: no [[vm]] section names it and none applies to every group, so `fly deploy` leaves its machines at whatever size they have (and `fly scale` falls back to shared-cpu-1x, 256 MB). The rules require at least {minimum} MB: add [[vm]] with processes = [\"{process.Group}\"] and memory = \"{minimum}mb\".",
                evidence));
        }
        else if (size.MemoryMb < minimum)
        {
            findings.Add(new Finding(RuleIds.FlyMemoryBelowMinimum, Severity.Error, Concern, subject, location,
                $"Process group '{process.Group}' of app '{app.Name}' is declared with {size.MemoryMb} MB in {size.Section!.Describe()}, below the required {minimum} MB. Set memory = \"{minimum}mb\" in that section (and run fly scale memory {minimum} --process-group {process.Group} for the running machines).",
                evidence));
        }
        else
        {
            findings.Add(new Finding(RuleIds.FlyMemoryBelowMinimum, Severity.Pass, Concern, subject, location,
                $"Process group '{process.Group}' of app '{app.Name}' is declared with {size.MemoryMb} MB (at least {minimum} MB required).", evidence));
        }

        foreach (var machine in machines?.Where(m => m.Group == process.Group) ?? [])
        {
            AuditMachine(app, process, machine, size.MemoryMb, minimum, subject, findings);
        }
    }

    private static void AuditMachine(FlyAppRule app, FlyProcessRule process, FlyMachine machine, int? declared, int minimum, Subject subject, List<Finding> findings)
    {
        var location = $"machine {machine.Id} ({machine.Source})";
        var evidence = new List<string> { $"state: {machine.State ?? "unknown"}", $"config.guest.memory_mb = {machine.MemoryMb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}" };
        if (machine.MemoryMb is not { } running)
        {
            findings.Add(new Finding(RuleIds.FlyMachineDrift, Severity.Warning, Concern, subject, location, $"Machine {machine.Id} cannot be checked: {machine.Problem}.", evidence));
            return;
        }

        if (running < minimum)
        {
            findings.Add(new Finding(RuleIds.FlyMemoryBelowMinimum, Severity.Error, Concern, subject, location,
                $"Machine {machine.Id} in process group '{process.Group}' of app '{app.Name}' runs with {running} MB, below the required {minimum} MB. Fix: fly scale memory {minimum} --process-group {process.Group} -a {app.Name}.",
                evidence));
        }

        if (declared is { } toml && running != toml)
        {
            findings.Add(new Finding(RuleIds.FlyMachineDrift, Severity.Error, Concern, subject, location,
                $"Drift: fly.toml says {toml} MB for process group '{process.Group}', but machine {machine.Id} runs {running} MB. The next deploy or scale will change it; make fly.toml and the machines agree.",
                evidence));
        }
        else if (running >= minimum)
        {
            findings.Add(new Finding(RuleIds.FlyMachineDrift, Severity.Pass, Concern, subject, location,
                $"Machine {machine.Id} runs {running} MB, as fly.toml declares.", evidence));
        }
    }

    /// <summary>
    /// The machines of each app, from the snapshots. A snapshot that cannot be read (missing, not JSON, not the output
    /// of `fly machines list --json`, no app to belong to) is unreadable: its machines were not audited, which is no
    /// drift of theirs. Machines that cannot be checked and snapshots of apps the rules do not name are warnings.
    /// </summary>
    public static LoadedMachines LoadSnapshots(RulesDocument rules, IReadOnlyList<MachinesSnapshotSource> snapshots)
    {
        var byApp = new Dictionary<string, List<FlyMachine>>(StringComparer.Ordinal);
        var findings = new List<Finding>();
        var unreadable = new List<UnreadableSnapshot>();
        foreach (var snapshot in snapshots)
        {
            var app = snapshot.App
                      ?? (rules.Fly.Apps.Count == 1 ? rules.Fly.Apps[0].Name : rules.Fly.Apps.FirstOrDefault(a => System.IO.Path.GetFileName(snapshot.Path).Contains(a.Name, StringComparison.Ordinal))?.Name);
            if (app is null)
            {
                unreadable.Add(new UnreadableSnapshot(null, snapshot.Path,
                    $"cannot tell which app the machines snapshot {snapshot.Path} belongs to: write HOTDASH_FLY_MACHINES entries as app=path"));
                continue;
            }

            try
            {
                var machines = FlyMachinesSnapshot.Load(snapshot.Path);
                var known = rules.Fly.Apps.FirstOrDefault(a => a.Name == app);
                foreach (var stray in machines.Where(m => m.Group is null && m.Problem is not null))
                {
                    findings.Add(new Finding(RuleIds.FlyMachineDrift, Severity.Warning, Concern, Subject.App(app), $"machine {stray.Id} ({stray.Source})",
                        $"Machine {stray.Id} of app '{app}' cannot be checked: {stray.Problem}.", [$"state: {stray.State ?? "unknown"}"]));
                }

                if (!byApp.TryGetValue(app, out var list))
                {
                    byApp[app] = list = [];
                }

                list.AddRange(machines);
                if (known is null)
                {
                    findings.Add(new Finding(RuleIds.FlyMachineDrift, Severity.Warning, Concern, Subject.App(app), snapshot.Path,
                        $"The machines snapshot is for app '{app}', which the rules do not name; nothing in it was audited.", []));
                }
            }
            catch (FlyMachinesException e)
            {
                unreadable.Add(new UnreadableSnapshot(app, snapshot.Path, $"{e.Message}; the live machines of app '{app}' were not audited"));
            }
        }

        return new LoadedMachines(byApp, findings, unreadable);
    }

    private static bool TryMinimum(JsonElement value, out int megabytes)
    {
        object? raw = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return FlyMemory.TryParse(raw, out megabytes, out _);
    }
}
