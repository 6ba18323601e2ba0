using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Latency;
using HotDash.Compliance.Audit.Report;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>The latency concern: each declared endpoint measured against its budgets (HD8001); one whose URL is not set is not measured, and says so.</summary>
public sealed class LatencyConcernAudit : IAudit<LatencyAuditResult>
{
    public string Concern => LatencyAudit.Concern;

    public async Task<AuditResult<LatencyAuditResult>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        if (rules.Latency.Endpoints.Count == 0)
        {
            return AuditResult<LatencyAuditResult>.NothingDeclared;
        }

        var latency = await LatencyAudit.RunAsync(rules, context.Settings.Variable, context.Settings.ReportDirectory, null, cancellationToken).ConfigureAwait(false);
        return new AuditResult<LatencyAuditResult>
        {
            Findings = latency.Findings,
            NotAudited = latency.NotConfigured.Select(n => new NotAudited($"latency {n.Key}", n.Value, false, [LatencyAudit.Concern])).ToList(),
            Summary =
            [
                $"Latency: {latency.Findings.Count(f => !f.Fails)}/{latency.Findings.Count} endpoints within budget" +
                (latency.NotConfigured.Count > 0 ? $"; {latency.NotConfigured.Count} not measured ({string.Join(", ", latency.NotConfigured.Keys)})" : string.Empty),
            ],
            Targets = latency.Findings.Select(f => $"{f.Subject} at {f.Location}").ToList(),
            Detail = latency,
        };
    }
}
