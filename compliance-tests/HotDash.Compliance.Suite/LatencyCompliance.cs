using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Latency;

namespace HotDash.Compliance.Suite;

/// <summary>Each HTTP endpoint of latency.endpoints answers within its budget (HD8001). One test case per endpoint.</summary>
public abstract class LatencyCompliance
{
    public static TheoryData<string> Endpoints() =>
        SuiteAudit.Subjects(o => o.Rules.Document.Latency.Endpoints.Select(e => e.Name), "(no latency endpoints in the rules)");

    [Theory]
    [MemberData(nameof(Endpoints), DisableDiscoveryEnumeration = true)]
    public void Endpoint_answers_within_its_budget(string endpoint)
    {
        Assert.SkipWhen(SuiteAudit.Outcome.Rules.Document.Latency.Endpoints.Count == 0, "the rules declare no latency endpoints (latency.endpoints)");
        SuiteAudit.RequireAudited($"latency {endpoint}");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == LatencyAudit.Concern && f.About == Subject.Endpoint(endpoint)).ToList());
    }
}
