using System.Linq;
using HotDash.Compliance.Audit.Database;
using Xunit.Abstractions;

namespace HotDash.Compliance.Suite;

/// <summary>RLS coverage, view security and the database provider of HOTDASH_DATABASE_URL. One test case per table and view.</summary>
public sealed class DatabaseComplianceTests(ITestOutputHelper output)
{
    private const string NotAudited = "(database not audited)";

    public static TheoryData<string> Tables() =>
        SuiteAudit.Subjects(o => o.Findings.Where(f => f.Concern == RlsAudit.Concern && f.Subject.StartsWith("table ")).Select(f => f.Subject["table ".Length..]), NotAudited);

    public static TheoryData<string> Views() =>
        SuiteAudit.Subjects(o => o.Findings.Where(f => f.Concern == ViewSecurityAudit.Concern).Select(f => f.Subject["view ".Length..]), "(no views in the audited schemas)");

    public static TheoryData<string> Coverage() =>
        SuiteAudit.Subjects(o => o.Rls is null ? [] : [o.Rls.Summary], NotAudited);

    [SkippableTheory]
    [MemberData(nameof(Tables))]
    public void Table_has_row_level_security(string table)
    {
        SuiteAudit.RequireAudited("database");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == RlsAudit.Concern && f.Subject == "table " + table).ToList(), output);
    }

    [SkippableTheory]
    [MemberData(nameof(Coverage))]
    public void Rls_coverage_is_complete(string summary)
    {
        SuiteAudit.RequireAudited("database");
        output.WriteLine(summary);
        var rls = SuiteAudit.Outcome.Rls!;
        var uncovered = rls.Findings.Where(f => f.Fails && f.Concern == RlsAudit.Concern).Select(f => f.Subject).ToList();
        Assert.True(uncovered.Count == 0, $"{summary}; not covered: {string.Join(", ", uncovered)}");
    }

    [SkippableFact]
    public void Rls_exemptions_name_existing_tables()
    {
        SuiteAudit.RequireAudited("database");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.RuleId == "HD5005").ToList(), output);
    }

    [SkippableTheory]
    [MemberData(nameof(Views))]
    public void View_runs_with_the_callers_rights(string view)
    {
        SuiteAudit.RequireAudited("database");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == ViewSecurityAudit.Concern && f.Subject == "view " + view).ToList(), output);
    }

    [SkippableFact]
    public void Database_is_the_declared_provider()
    {
        SuiteAudit.RequireAudited("database");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == ProviderAudit.Concern).ToList(), output);
    }
}
