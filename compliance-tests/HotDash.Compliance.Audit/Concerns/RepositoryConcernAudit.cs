using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Scan;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>The repository concern: the tracked text files under the repository root scanned for secrets (HD1002) and deprecated configuration keys read from the environment (HD1001).</summary>
public sealed class RepositoryConcernAudit : IAudit<RepositoryScanResult>
{
    public string Concern => RepositoryScan.Concern;

    public Task<AuditResult<RepositoryScanResult>> RunAsync(AuditContext context, CancellationToken cancellationToken)
    {
        if (RepositoryScan.Scan(context.Settings.RepoRoot, context.Rules) is not { } scan)
        {
            return Task.FromResult(new AuditResult<RepositoryScanResult>
            {
                NotAudited = [new Report.NotAudited(RepositoryScan.Concern, "HOTDASH_REPO_ROOT is not a git work tree (or git is not installed): the repository's tracked files were not scanned for secrets and deprecated keys", false, [RepositoryScan.Concern])],
            });
        }

        return Task.FromResult(new AuditResult<RepositoryScanResult>
        {
            Findings = scan.Findings,
            Summary = [scan.Summary],
            Targets = [$"the repository's files ({scan.Source})"],
            Detail = scan,
        });
    }
}
