using System.Linq;
using HotDash.Compliance.Audit;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Fly;

namespace HotDash.Compliance.Suite;

/// <summary>Fly.io memory per (app, process group), as fly.toml declares it and as the live machines run it.</summary>
public abstract class FlyCompliance
{
    public static TheoryData<string> ProcessGroups() =>
        SuiteAudit.Subjects(o => o.Fly?.Subjects.Select(s => s.Name) ?? [], "(no Fly apps in the rules)");

    [Theory]
    [MemberData(nameof(ProcessGroups), DisableDiscoveryEnumeration = true)]
    public void Process_group_has_its_memory(string appAndGroup)
    {
        Assert.SkipWhen(SuiteAudit.Outcome.Fly is null, "the rules name no Fly apps (fly.apps)");
        var group = SuiteAudit.Outcome.Fly.Subjects.Single(s => s.Name == appAndGroup);
        var app = Subject.App(group.Parent!);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == FlyMemoryAudit.Concern && (f.About == group || f.About == app)).ToList());
    }

    public static TheoryData<string> WarmGroups() =>
        SuiteAudit.Subjects(o => o.Findings.Where(f => f.Concern == FlyWarmCapacityAudit.Concern).Select(f => f.About.Name).Distinct(), "(no warm capacity in the rules)");

    [Theory]
    [MemberData(nameof(WarmGroups), DisableDiscoveryEnumeration = true)]
    public void Process_group_stays_warm(string appAndGroup)
    {
        Assert.SkipWhen(SuiteAudit.Outcome.Fly is null, "the rules name no Fly apps (fly.apps)");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == FlyWarmCapacityAudit.Concern && f.About.Name == appAndGroup).ToList());
    }

    [Fact]
    public void Machines_snapshots_are_readable()
    {
        Assert.SkipWhen(SuiteAudit.Outcome.Fly is null, "the rules name no Fly apps (fly.apps)");
        SuiteAudit.AssertAudited(AuditRunner.FlyMachinesConcern);
        SuiteAudit.RequireAudited(AuditRunner.FlyMachinesConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == FlyMemoryAudit.Concern && f.Location.EndsWith(".json", System.StringComparison.Ordinal)).ToList());
    }
}
