using System.Linq;
using HotDash.Compliance.Audit;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Access;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Simulation;

namespace HotDash.Compliance.Suite;

/// <summary>
/// RLS coverage, view security, what the API roles can actually do, and the database provider of
/// HOTDASH_DATABASE_URL. One test case per table, view, function, bucket and exposed schema.
/// </summary>
public abstract class DatabaseCompliance
{
    private const string NotAudited = "(database not audited)";

    private static readonly string[] AccessConcerns =
        [PolicyAudit.Concern, ProtectedColumnAudit.Concern, MembershipAudit.Concern, FunctionAudit.Concern, PrivateRelationAudit.Concern, StorageBucketAudit.Concern, ExposedSchemaAudit.Concern];

    public static TheoryData<string> Tables() => Subjects(RlsAudit.Concern, SubjectKind.Table, NotAudited);

    public static TheoryData<string> Views() => Subjects(ViewSecurityAudit.Concern, SubjectKind.View, "(no views in the audited schemas)");

    public static TheoryData<string> PolicyTables() => Subjects(PolicyAudit.Concern, SubjectKind.Table, "(no API-reachable table with RLS)");

    public static TheoryData<string> ProtectedColumnTables() => Subjects(ProtectedColumnAudit.Concern, SubjectKind.Table, "(no API-writable table with a protected column)");

    public static TheoryData<string> Functions() => Subjects(FunctionAudit.Concern, SubjectKind.Function, "(no function in the exposed schemas)");

    public static TheoryData<string> PrivateRelationViews() => Subjects(PrivateRelationAudit.Concern, SubjectKind.View, "(no view reads a private relation)");

    public static TheoryData<string> Buckets() => Subjects(StorageBucketAudit.Concern, SubjectKind.Bucket, "(no storage buckets)");

    public static TheoryData<string> ExposedSchemas() => Subjects(ExposedSchemaAudit.Concern, SubjectKind.Schema, "(no exposed schema)");

    public static TheoryData<string> Migrations() => Subjects(MigrationApplier.Concern, SubjectKind.Migration, "(HOTDASH_MIGRATIONS is not set)");

    public static TheoryData<string> Attacked() =>
        SuiteAudit.Subjects(
            o => o.Findings.Where(f => f.Concern == AttackSimulation.Concern && f.About.Kind is SubjectKind.Table or SubjectKind.View or SubjectKind.Function).Select(f => f.About.ToString()).Distinct(),
            "(HOTDASH_MIGRATIONS is not set: the attack simulation runs in the pull-request mode only)");

    public static TheoryData<string> Access() =>
        SuiteAudit.Subjects(o => o.AccessSummary is { } access ? [access] : [], NotAudited);

    public static TheoryData<string> Coverage() =>
        SuiteAudit.Subjects(o => o.Rls is null ? [] : [o.Rls.Summary], NotAudited);

    [Fact]
    public void Database_was_audited() => SuiteAudit.AssertAudited(AuditRunner.DatabaseConcern, AuditRunner.LiveDatabaseConcern, StorageBucketAudit.NotJudgedConcern);

    [Theory]
    [MemberData(nameof(Tables), DisableDiscoveryEnumeration = true)]
    public void Table_has_row_level_security(string table)
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == RlsAudit.Concern && f.About == Subject.Table(table)).ToList());
    }

    [Theory]
    [MemberData(nameof(Coverage), DisableDiscoveryEnumeration = true)]
    public void Rls_coverage_is_complete(string summary)
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.Log(summary);
        var rls = SuiteAudit.Outcome.Rls!;
        var uncovered = rls.Findings.Where(f => f.Fails && f.Concern == RlsAudit.Concern).Select(f => f.Subject).ToList();
        SuiteAudit.FailWhen(uncovered.Count > 0, $"{summary}; not covered: {string.Join(", ", uncovered)}");
    }

    [Fact]
    public void Rls_exemptions_name_existing_tables()
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.RuleId == "HD5005").ToList());
    }

    [Theory]
    [MemberData(nameof(Views), DisableDiscoveryEnumeration = true)]
    public void View_runs_with_the_callers_rights(string view)
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == ViewSecurityAudit.Concern && f.About == Subject.View(view)).ToList());
    }

    [Theory]
    [MemberData(nameof(PolicyTables), DisableDiscoveryEnumeration = true)]
    public void Api_roles_cannot_change_or_read_every_row(string table) => AssertSubject(PolicyAudit.Concern, Subject.Table(table));

    [Theory]
    [MemberData(nameof(ProtectedColumnTables), DisableDiscoveryEnumeration = true)]
    public void Api_roles_cannot_write_protected_columns(string table) => AssertSubject(ProtectedColumnAudit.Concern, Subject.Table(table));

    [Theory]
    [MemberData(nameof(Functions), DisableDiscoveryEnumeration = true)]
    public void Function_cannot_be_called_with_owner_rights(string function) => AssertSubject(FunctionAudit.Concern, Subject.Function(function));

    [Theory]
    [MemberData(nameof(PrivateRelationViews), DisableDiscoveryEnumeration = true)]
    public void View_does_not_expose_a_private_relation(string view) => AssertSubject(PrivateRelationAudit.Concern, Subject.View(view));

    [Theory]
    [MemberData(nameof(Buckets), DisableDiscoveryEnumeration = true)]
    public void Storage_bucket_does_not_list_every_object(string bucket)
    {
        SuiteAudit.RequireAudited(StorageBucketAudit.NotJudgedConcern);
        AssertSubject(StorageBucketAudit.Concern, Subject.Bucket(bucket));
    }

    [Theory]
    [MemberData(nameof(ExposedSchemas), DisableDiscoveryEnumeration = true)]
    public void Exposed_schema_is_audited(string schema) => AssertSubject(ExposedSchemaAudit.Concern, Subject.Schema(schema));

    [Theory]
    [MemberData(nameof(Migrations), DisableDiscoveryEnumeration = true)]
    public void Migration_applies(string migration)
    {
        // The pull-request mode only: the Monday/Thursday audit of a live database has no migrations to apply.
        Assert.SkipWhen(SuiteAudit.Settings.Migrations is null, "HOTDASH_MIGRATIONS is not set: no migrations were applied to a disposable database");
        AssertSubject(MigrationApplier.Concern, Subject.Migration(migration));
    }

    [Theory]
    [MemberData(nameof(Attacked), DisableDiscoveryEnumeration = true)]
    public void Attack_simulation_gets_nowhere(string subject)
    {
        // The pull-request mode only: a live database is never attacked.
        Assert.SkipWhen(SuiteAudit.Settings.Migrations is null, "HOTDASH_MIGRATIONS is not set: the attack simulation runs on a disposable database only");
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == AttackSimulation.Concern && f.About.ToString() == subject).ToList());
    }

    [Theory]
    [MemberData(nameof(Access), DisableDiscoveryEnumeration = true)]
    public void Api_access_summary(string summary)
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.Log(summary);
        var exposures = SuiteAudit.Outcome.Findings.Where(f => f.Fails && AccessConcerns.Contains(f.Concern)).Select(f => $"{f.RuleId} {f.Subject}").Distinct().ToList();
        SuiteAudit.FailWhen(exposures.Count > 0, $"{summary}; exposures: {string.Join(", ", exposures)}");
    }

    [Fact]
    public void Database_is_the_declared_provider()
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == ProviderAudit.Concern).ToList());
    }

    private static TheoryData<string> Subjects(string concern, SubjectKind kind, string placeholder) =>
        SuiteAudit.Subjects(o => o.Findings.Where(f => f.Concern == concern && f.About.Kind == kind).Select(f => f.About.Name).Distinct(), placeholder);

    private void AssertSubject(string concern, Subject subject)
    {
        SuiteAudit.RequireAudited(AuditRunner.DatabaseConcern);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == concern && f.About == subject).ToList());
    }
}
