using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Fly;
using HotDash.Compliance.Audit.Report;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>
/// The Fly.io concern: each declared app's fly.toml, and the live machines when HOTDASH_FLY_MACHINES names their
/// snapshots, judged for memory (HD7001–HD7004) and warm capacity (HD7005, HD7006). A snapshot that cannot be read is
/// not audited, and fails the run: it was asked for.
/// </summary>
public sealed class FlyConcernAudit : IAudit<FlyAuditResult>
{
    public string Concern => "fly";

    public Task<AuditResult<FlyAuditResult>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var (settings, rules) = (context.Settings, context.Rules);
        if (rules.Fly.Apps.Count == 0)
        {
            return Task.FromResult(AuditResult<FlyAuditResult>.NothingDeclared);
        }

        var snapshots = MachinesSnapshotSource.FromSetting(settings.FlyMachinesFiles);
        var machines = FlyMemoryAudit.LoadSnapshots(rules, snapshots);
        var notAudited = machines.Unreadable.Select(u => new NotAudited(AuditRunner.FlyMachinesConcern, u.Reason, true, [])).ToList();
        if (snapshots.Count == 0)
        {
            notAudited.Add(new NotAudited(AuditRunner.FlyMachinesConcern, "HOTDASH_FLY_MACHINES is not set: live machines were not compared with fly.toml and the rules", false, []));
        }

        var memory = new FlyMemoryAudit().Run(rules, settings.RepoRoot, machines);
        var warm = new FlyWarmCapacityAudit().Run(rules, settings.RepoRoot, machines.ByApp);
        var summary = new List<string> { memory.Summary };
        if (warm.Count > 0)
        {
            var groups = warm.Select(f => f.About).Distinct().Count();
            var cold = warm.Where(f => f.Fails).Select(f => f.About).Distinct().Count();
            summary.Add($"Fly warm capacity: {groups - cold}/{groups} process groups keep their warm machines (fly.toml{(snapshots.Count > 0 ? " and live machines" : string.Empty)})");
        }

        return Task.FromResult(new AuditResult<FlyAuditResult>
        {
            Findings = [.. memory.Findings, .. warm],
            Summary = summary,
            Targets = [$"fly.toml files under {context.Relative(settings.RepoRoot)}", .. snapshots.Select(s => $"machines snapshot {(s.App is null ? string.Empty : s.App + "=")}{context.Relative(s.Path)}")],
            NotAudited = notAudited,
            Detail = memory,
        });
    }
}
