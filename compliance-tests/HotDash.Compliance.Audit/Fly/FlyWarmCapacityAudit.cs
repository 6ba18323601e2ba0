using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Fly;

/// <summary>
/// What fly.toml lets the Fly proxy do to a process group's machines when they are idle, as flyctl computes it
/// (internal/appconfig: Flatten and the deploy's autostop choice): the services that route to the group are
/// [http_service] and each [[services]] whose `processes` names it, or that name none when the group is the
/// default one; a service without auto_stop_machines counts as "off"; true and false are the legacy spellings of
/// "stop" and "off"; across services the proxy takes the one that stops least (off, then stop, then suspend); and
/// min_machines_running (default 0; kept in the primary region) is the highest any of them asks.
/// </summary>
public sealed record WarmCapacity(string AutoStop, int MinMachinesRunning, int AutoStopLine, int MinLine, IReadOnlyList<string> Evidence, string? Error)
{
    private static readonly string[] Order = ["off", "stop", "suspend"];

    public static WarmCapacity Of(FlyConfig config, string group)
    {
        var services = config.Services.Where(s => s.Processes is { Count: > 0 } p ? p.Contains(group) : group == config.DefaultGroup).ToList();
        if (services.Count == 0)
        {
            return new WarmCapacity("off", 0, config.ProcessesLine, config.ProcessesLine,
                [$"no [http_service] or [[services]] routes to group '{group}': the Fly proxy neither stops nor starts its machines"], null);
        }

        var evidence = new List<string>();
        (string Value, FlySection Service)? stop = null;
        (int Value, FlySection Service)? min = null;
        foreach (var service in services)
        {
            var raw = service.Values.GetValueOrDefault("auto_stop_machines");
            var autoStop = raw switch
            {
                null => "off",
                true => "stop",
                false => "off",
                string text when Order.Contains(text.ToLowerInvariant()) => text.ToLowerInvariant(),
                _ => null,
            };
            if (autoStop is null)
            {
                return new WarmCapacity("off", 0, service.LineOf("auto_stop_machines"), service.Line, evidence,
                    $"auto_stop_machines = {Render(raw)} in {service.Describe()}: flyctl accepts true, false, \"off\", \"stop\" or \"suspend\"");
            }

            var running = service.Values.GetValueOrDefault("min_machines_running") switch
            {
                null => 0,
                long n when n is >= 0 and <= int.MaxValue => (int)n,
                _ => -1,
            };
            if (running < 0)
            {
                return new WarmCapacity("off", 0, service.Line, service.LineOf("min_machines_running"), evidence,
                    $"min_machines_running = {Render(service.Values["min_machines_running"])} in {service.Describe()}: flyctl wants a whole number of machines");
            }

            evidence.Add($"{service.Describe()} (line {service.Line}): auto_stop_machines = {(raw is null ? "absent (off)" : Render(raw) + (raw is bool ? $" (legacy for \"{autoStop}\")" : string.Empty))}, min_machines_running = {(service.Values.ContainsKey("min_machines_running") ? running.ToString(System.Globalization.CultureInfo.InvariantCulture) : "absent (0)")}");
            if (stop is null || Array.IndexOf(Order, autoStop) < Array.IndexOf(Order, stop.Value.Value))
            {
                stop = (autoStop, service);
            }

            if (min is null || running > min.Value.Value)
            {
                min = (running, service);
            }
        }

        evidence.Add($"effective for group '{group}': auto_stop_machines = \"{stop!.Value.Value}\", min_machines_running = {min!.Value.Value}" +
                     (config.PrimaryRegion is { } region ? $" (kept running in the primary region {region})" : string.Empty));
        return new WarmCapacity(stop.Value.Value, min.Value.Value, stop.Value.Service.LineOf("auto_stop_machines"), min.Value.Service.LineOf("min_machines_running"), evidence, null);
    }

    private static string Render(object? value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        null => "nothing",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}

/// <summary>
/// HD7005 and HD7006: the warm capacity the rules declare per process group (fly.apps[].processes[].warm), in
/// fly.toml and on the live machines. The tiles incident: staging answered in 409–617 ms against a 300 ms budget
/// because its machines stopped when idle and started cold on the next request.
/// </summary>
public sealed class FlyWarmCapacityAudit
{
    public const string Concern = "fly-warm";

    public IReadOnlyList<Finding> Run(RulesDocument rules, string repoRoot, IReadOnlyDictionary<string, List<FlyMachine>> machinesByApp)
    {
        var findings = new List<Finding>();
        foreach (var app in rules.Fly.Apps)
        {
            var declared = app.Processes.Where(p => p.Warm is not null).ToList();
            if (declared.Count == 0)
            {
                continue;
            }

            var path = System.IO.Path.GetFullPath(app.Config, repoRoot);
            FlyConfig config;
            try
            {
                config = FlyConfig.Load(path);
            }
            catch (FlyConfigException)
            {
                // The memory audit reports the file (HD7003/HD7004) for every declared group.
                continue;
            }

            foreach (var process in declared.Where(p => config.Groups.Contains(p.Group)))
            {
                var subject = FlyMemoryAudit.GroupSubject(app.Name, process.Group);
                Judge(app, process, process.Warm!, config, path, subject, findings);
                if (machinesByApp.TryGetValue(app.Name, out var machines))
                {
                    Live(app, process, process.Warm!, config, machines, subject, findings);
                }
            }
        }

        return findings;
    }

    private static void Judge(FlyAppRule app, FlyProcessRule process, FlyWarmRule warm, FlyConfig config, string path, Subject subject, List<Finding> findings)
    {
        var capacity = WarmCapacity.Of(config, process.Group);
        var evidence = capacity.Evidence.Append($"required: at least {warm.MinMachinesRunning} machine(s) running" +
            (warm.AutoStop.Count > 0 ? $", auto_stop_machines one of {string.Join(", ", warm.AutoStop.Select(a => $"\"{a}\""))}" : string.Empty)).ToList();
        if (capacity.Error is not null)
        {
            findings.Add(new Finding(RuleIds.FlyConfigInvalid, Severity.Error, Concern, subject, $"{path}:{capacity.AutoStopLine}",
                $"fly.toml of app '{app.Name}' has a value flyctl rejects: {capacity.Error}.", evidence));
            return;
        }

        var failed = false;
        if (capacity.AutoStop != "off" && warm.AutoStop.Count > 0 && !warm.AutoStop.Contains(capacity.AutoStop))
        {
            failed = true;
            findings.Add(new Finding(RuleIds.FlyWarmCapacity, Severity.Error, Concern, subject, $"{path}:{capacity.AutoStopLine}",
                $"fly.toml lets the Fly proxy {capacity.AutoStop} idle machines of group '{process.Group}' of app '{app.Name}' (auto_stop_machines = \"{capacity.AutoStop}\"), which the rules do not allow ({string.Join(", ", warm.AutoStop)}): " +
                $"the next request after a quiet spell waits for a cold start. Fix: auto_stop_machines = \"{warm.AutoStop[0]}\" in the services of that group.",
                evidence));
        }

        if (capacity.AutoStop != "off" && capacity.MinMachinesRunning < warm.MinMachinesRunning)
        {
            failed = true;
            findings.Add(new Finding(RuleIds.FlyWarmCapacity, Severity.Error, Concern, subject, $"{path}:{capacity.MinLine}",
                $"Group '{process.Group}' of app '{app.Name}' may scale down to {capacity.MinMachinesRunning} running machine(s) when idle (auto_stop_machines = \"{capacity.AutoStop}\", min_machines_running = {capacity.MinMachinesRunning}), below the {warm.MinMachinesRunning} the rules require warm. " +
                $"Fix: min_machines_running = {warm.MinMachinesRunning} in the services of that group (it keeps them in the primary region{(config.PrimaryRegion is { } r ? $", {r}" : string.Empty)}), or auto_stop_machines = \"off\".",
                evidence));
        }

        if (!failed)
        {
            findings.Add(new Finding(RuleIds.FlyWarmCapacity, Severity.Pass, Concern, subject, $"{path}:{capacity.AutoStopLine}",
                capacity.AutoStop == "off"
                    ? $"The Fly proxy does not stop idle machines of group '{process.Group}' (auto_stop_machines = \"off\" or no service routes to it)."
                    : $"Group '{process.Group}' keeps at least {capacity.MinMachinesRunning} machine(s) running (auto_stop_machines = \"{capacity.AutoStop}\"; {warm.MinMachinesRunning} required).",
                evidence));
        }
    }

    private static void Live(FlyAppRule app, FlyProcessRule process, FlyWarmRule warm, FlyConfig config, List<FlyMachine> machines, Subject subject, List<Finding> findings)
    {
        var group = machines.Where(m => m.Group == process.Group).ToList();
        var region = warm.InPrimaryRegion ? config.PrimaryRegion : null;
        var counted = group.Where(m => m.State == "started" && (region is null || m.Region == region)).ToList();
        var started = counted.Sum(m => m.Count);
        var source = group.FirstOrDefault()?.Source ?? machines.FirstOrDefault()?.Source ?? "machines snapshot";
        var location = source.Contains('[', StringComparison.Ordinal) ? source[..source.IndexOf('[', StringComparison.Ordinal)] : source;
        var evidence = group.Select(m => $"machine {m.Id}: {m.State ?? "unknown"}{(m.Region is null ? string.Empty : " in " + m.Region)}").ToList();
        evidence.Add($"started{(region is null ? string.Empty : " in the primary region " + region)}: {started}; required: {warm.MinMachinesRunning}");
        findings.Add(started < warm.MinMachinesRunning
            ? new Finding(RuleIds.FlyStartedMachines, Severity.Error, Concern, subject, location,
                $"Only {started} machine(s) of group '{process.Group}' of app '{app.Name}' are started{(region is null ? string.Empty : $" in {region}")}, fewer than the {warm.MinMachinesRunning} the rules require warm: requests wait for cold starts now. " +
                $"Fix: fly machine start <id> -a {app.Name} (or fly scale count {warm.MinMachinesRunning} --process-group {process.Group}{(region is null ? string.Empty : $" --region {region}")}), and keep them running with min_machines_running.",
                evidence)
            : new Finding(RuleIds.FlyStartedMachines, Severity.Pass, Concern, subject, location,
                $"{started} machine(s) of group '{process.Group}' are started ({warm.MinMachinesRunning} required).", evidence));
    }
}
