using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Scan;

namespace HotDash.Compliance.Suite;

/// <summary>The repository's tracked files no analyzer sees (TypeScript, .env, workflows, shell, SQL...): no secret, no deprecated key read?</summary>
public abstract class RepositoryCompliance
{
    public static TheoryData<string> Files() =>
        SuiteAudit.Subjects(o => o.Findings.Where(f => f.Concern == RepositoryScan.Concern).Select(f => f.About.Name).Distinct(), "(no secret and no deprecated key read in the repository's tracked files)");

    [Theory]
    [MemberData(nameof(Files), DisableDiscoveryEnumeration = true)]
    public void File_holds_no_secret_and_reads_no_deprecated_key(string file) =>
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == RepositoryScan.Concern && f.About == Subject.File(file)).ToList());
}
