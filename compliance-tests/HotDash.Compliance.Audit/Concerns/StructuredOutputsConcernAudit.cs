using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.StructuredOutputs;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>The structured-output concern: the compiled types the rules' assemblies send to a strict-mode API, judged as the SDK sends them.</summary>
public sealed class StructuredOutputsConcernAudit : IAudit<StructuredOutputAuditResult>
{
    public string Concern => StructuredOutputTypeAudit.Concern;

    public Task<AuditResult<StructuredOutputAuditResult>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        if (rules.StructuredOutputs.Assemblies.Count == 0)
        {
            return Task.FromResult(AuditResult<StructuredOutputAuditResult>.NothingDeclared);
        }

        var result = new StructuredOutputTypeAudit().Run(rules, context.Settings.RepoRoot);
        return Task.FromResult(new AuditResult<StructuredOutputAuditResult>
        {
            Findings = result.Findings,
            Summary = [result.Summary],
            Targets = rules.StructuredOutputs.Assemblies.Select(a => $"assembly {a}").ToList(),
            Detail = result,
        });
    }
}
