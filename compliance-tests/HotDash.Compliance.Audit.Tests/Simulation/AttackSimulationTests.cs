using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Simulation;

/// <summary>
/// The attack simulation of the pull-request mode, on real public Supabase projects (TestData/supabase, SOURCES.md):
/// their migrations applied to a disposable database by the code users run, two tenants seeded from the catalog, and
/// every attempt's outcome asserted, the ones that get through and the ones that must not.
/// </summary>
public sealed class AttackSimulationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly string TestData = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "supabase");

    /// <summary>A migrations folder of the project's files under their own names (the prefix before "__" is the project's).</summary>
    private static string Project(params string[] fixtures)
    {
        var folder = Directory.CreateTempSubdirectory("hotdash-attack-").FullName;
        foreach (var fixture in fixtures)
        {
            File.Copy(Path.Combine(TestData, fixture), Path.Combine(folder, fixture[(fixture.IndexOf("__", StringComparison.Ordinal) + 2)..]));
        }

        return folder;
    }

    private Task<MigrationsAuditResult> Run(string migrations, RulesDocument? rules = null) =>
        MigrationsAudit.RunAsync(migrations, null, new DisposableServer(server.Url("postgres"), null), Repository.Root, rules ?? Audits.Defaults,
            TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    private static AccessCell Cell(MigrationsAuditResult result, string identity, string relation, string operation) =>
        result.Access!.Cells.Single(c => c.Identity == identity && c.Relation.Name == relation && c.Operation == operation);

    [Fact]
    public async Task A_self_service_membership_lets_user_b_join_user_a_s_organization_and_read_its_api_keys()
    {
        // yashram96/zapi: "Users can insert their own organization memberships" WITH CHECK (auth.uid() = user_id), and
        // api_keys readable by "Organization members" through organization_members. No static rule sees it.
        var result = await Run(Project("zapi__20250406155942_lively_waterfall.sql", "zapi__20250406160001_rustic_trail.sql", "zapi__20250411191129_soft_meadow.sql"));

        Cell(result, "user B", "public.api_keys", "read").Outcome.Should().Be(AccessOutcome.Denied, "before joining, B cannot read A's API key");
        var join = Cell(result, "user B", "public.organization_members", "join A's tenant");
        join.Outcome.Should().Be(AccessOutcome.Allowed);
        join.Detail.Should().Be("user B inserted a row naming themself under user A's public.organizations, and then read A's rows in public.api_keys");
        join.Statements.Should().Contain(s => s.StartsWith("then, as user B: SELECT count(*) FROM public.api_keys WHERE", StringComparison.Ordinal));

        var finding = result.Findings.Single(f => f.RuleId == "HD5016");
        finding.Severity.Should().Be(Severity.Error);
        finding.About.Should().Be(Subject.Table("public.organization_members"));
        finding.Evidence.Should().Contain(e => e.StartsWith("attempt (rolled back): SET LOCAL ROLE authenticated;", StringComparison.Ordinal) && e.Contains("INSERT INTO public.organization_members", StringComparison.Ordinal));

        // The matrix covers every relation an API role reaches, each with a read by anon, B and A.
        result.Access!.Relations.Select(r => r.Name).Should().BeEquivalentTo(["public.organizations", "public.organization_members", "public.api_keys"]);
        result.Access.Cells.Where(c => c.Operation == "read").Select(c => (c.Relation.Name, c.Identity)).Should().HaveCount(9);

        // What the static rules already claim, the attempt proves: anon reads every organization (HD5006).
        var read = result.Findings.Single(f => f.RuleId == "HD5006" && f.Policy == "Anyone can read organizations");
        read.Message.Should().Contain("Attack simulation: anon read: anon read user A's row (1 row(s))");
        result.Findings.Should().NotContain(f => f.RuleId == "HD5015" && f.Fails, "each access that got through is claimed by a static rule or by HD5016");
    }

    [Fact]
    public async Task A_user_sets_their_own_credits_and_another_user_reaches_nothing_of_theirs()
    {
        // PromaticSolutions/v0-ai-language-trainer: FOR UPDATE USING (auth.uid() = id) on users(credits).
        var result = await Run(Project("v0-ai-language-trainer__001_create_users_table.sql"));

        var credits = Cell(result, "user A", "public.users", "update credits");
        credits.Outcome.Should().Be(AccessOutcome.Allowed);
        credits.Detail.Should().Be("user A set credits = 1000000::integer on their own row");
        var finding = result.Findings.Single(f => f.RuleId == "HD5014");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("Attack simulation: user A update credits: user A set credits = 1000000::integer on their own row");

        foreach (var identity in new[] { "anon", "user B" })
        {
            foreach (var operation in new[] { "read", "update", "delete", "insert" })
            {
                Cell(result, identity, "public.users", operation).Outcome.Should().NotBe(AccessOutcome.Allowed, $"{identity} must not {operation} A's row");
            }
        }
    }

    [Fact]
    public async Task A_user_records_their_own_payment_as_paid()
    {
        // schicgirl-decode-myhair: payments(status DEFAULT 'pending'), insert and update policies tied to auth.uid() only.
        var result = await Run(Project("schicgirl-decode-myhair-8cdd1d5a__20260214172336_0564d977-0fc4-4cf6-96b6-baf4423463ec.sql"));

        Cell(result, "user A", "public.payments", "update status").Outcome.Should().Be(AccessOutcome.Allowed);
        Cell(result, "user A", "public.payments", "insert status").Outcome.Should().Be(AccessOutcome.Allowed);
        result.Findings.Single(f => f.RuleId == "HD5014").Message.Should().Contain("Attack simulation: user A update status");
        Cell(result, "user B", "public.payments", "read").Outcome.Should().Be(AccessOutcome.Denied);
        Cell(result, "user B", "public.payments", "update").Outcome.Should().Be(AccessOutcome.Denied);
    }

    [Fact]
    public async Task Tenants_isolated_through_definer_helpers_hold_against_every_attempt_and_the_helpers_are_not_reported_exploitable()
    {
        // Graphyx-AI/NossoFuturo-Saas: a sign-up trigger makes each user's profile, personal workspace and owner
        // membership; members are added only by owners and admins; the data tables trust is_workspace_member().
        var result = await Run(Project("NossoFuturo-Saas__setup-database.sql"));

        var attacks = result.Access!.Cells.Where(c => c.Identity is "anon" or "user B" && c.Relation.Kind == SubjectKind.Table).ToList();
        attacks.Select(c => c.Relation.Name).Distinct().Should().HaveCount(9, "every table of the project is attacked");
        attacks.Should().OnlyContain(c => c.Outcome != AccessOutcome.Allowed && c.Outcome != AccessOutcome.NotTried, "tenant isolation holds and every row was seeded");
        result.Access.Cells.Where(c => c.Identity == "user A" && c.Operation == "read").Should().OnlyContain(c => c.Outcome == AccessOutcome.Allowed, "A's seeded rows are A's by the app's own rules (the trigger's workspace)");
        result.Findings.Should().NotContain(f => (f.RuleId == "HD5015" || f.RuleId == "HD5016") && f.Fails);

        // is_workspace_member(ws_id) answers for its caller: true for A on A's workspace, false for anon and B.
        var member = result.Findings.Single(f => f.RuleId == "HD5008" && f.About.Name == "public.is_workspace_member(ws_id uuid)");
        member.Severity.Should().Be(Severity.Info);
        member.Message.Should().StartWith("Not exploitable as claimed: the attack simulation tried it and got nothing of user A's");
        Cell(result, "user A", "public.is_workspace_member(ws_id uuid)", "execute").Detail.Should().Contain("returned True");
        Cell(result, "user B", "public.is_workspace_member(ws_id uuid)", "execute").Detail.Should().Contain("returned False");
    }

    [Fact]
    public async Task A_policy_that_trusts_a_header_lets_anyone_who_sends_it_read_and_delete_user_a_s_rows()
    {
        // supabase/realtime-js#233: FOR ALL USING (current_setting('request.headers')::json ->> 'capgkey' = '<constant>').
        var result = await Run(Project("realtime-js-issue-233__test_realtime_rls.sql"));

        Cell(result, "anon", "public.test_realtime_rls", "read").Outcome.Should().Be(AccessOutcome.Denied, "without the header nothing is visible");
        var forged = Cell(result, "anon + headers naming A", "public.test_realtime_rls", "read");
        forged.Outcome.Should().Be(AccessOutcome.Allowed);
        forged.Statements.Single().Should().Contain("request.headers = request.cookies = {\"capgkey\":\"8fd6f83fd1842b0d79cc212a133c4f10\"}");
        Cell(result, "user B + headers naming A", "public.test_realtime_rls", "delete").Outcome.Should().Be(AccessOutcome.Allowed);
        result.Findings.Single(f => f.RuleId == "HD5007").Message.Should().Contain("Attack simulation: anon + headers naming A read");
    }

    [Fact]
    public async Task Declared_intent_is_not_reported_and_an_intent_that_matches_nothing_is()
    {
        var rules = Audits.Rules("""
            {
              "version": 1,
              "extends": "hotdash:canonical",
              "database": {
                "intendedAccess": [
                  { "relation": "public.organizations", "roles": ["authenticated"], "operations": ["insert"], "reason": "anyone signed in founds an organization" },
                  { "relation": "public.orgs", "roles": ["anon"], "operations": ["read"], "reason": "renamed long ago" }
                ]
              }
            }
            """);
        var result = await Run(Project("zapi__20250406155942_lively_waterfall.sql", "zapi__20250406160001_rustic_trail.sql", "zapi__20250411191129_soft_meadow.sql"), rules);

        var insert = Cell(result, "user B", "public.organizations", "insert");
        insert.Outcome.Should().Be(AccessOutcome.Allowed);
        insert.IntendedBecause.Should().Be("database.intendedAccess: anyone signed in founds an organization");
        insert.Unintended.Should().BeFalse();
        var policy = result.Findings.Single(f => f.RuleId == "HD5006" && f.Policy == "Only authenticated users can create organizations");
        policy.Severity.Should().Be(Severity.Pass);
        policy.ExemptBecause.Should().Be("anyone signed in founds an organization");

        var stale = result.Findings.Single(f => f.RuleId == "HD5005");
        stale.Subject.Should().Be("exemption public.orgs");
        stale.Severity.Should().Be(Severity.Warning);
    }

    [Fact]
    public async Task A_pull_request_that_widens_access_names_the_cell_that_changed()
    {
        var before = await Run(Project("v0-ai-language-trainer__001_create_users_table.sql"));
        var folder = Project("v0-ai-language-trainer__001_create_users_table.sql");
        File.WriteAllText(Path.Combine(folder, "002_everyone_reads_users.sql"), "CREATE POLICY \"Anyone can read users\" ON public.users FOR SELECT USING (true);");
        var after = await Run(folder);

        var report = new AuditReport(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "rules", "sha", [], [], before.Findings, [], 0) { Access = before.Access };
        var baselinePath = Path.Combine(Directory.CreateTempSubdirectory("hotdash-baseline-").FullName, "compliance-report.json");
        File.WriteAllText(baselinePath, ReportWriter.ToJson(report));

        var since = Baseline.Load(baselinePath).Compare(after.Findings, [], after.Access);
        since.AccessWidened.Should().Contain("anon | read | table public.users: denied → allowed: anon read user A's row (1 row(s))");
        since.AccessWidened.Should().Contain(w => w.StartsWith("user B | read | table public.users: denied → allowed", StringComparison.Ordinal));
        since.Summary.Should().Contain("access matrix:").And.Contain("widened");
    }

    [Fact]
    public async Task Anon_deletes_a_user_from_auth_users_through_an_updatable_view_and_hd5010_carries_the_attempt()
    {
        // alfredosalzillo/sknil-me-web-app's dump: public."user" AS SELECT id, ... FROM auth.users, GRANT ALL TO anon.
        var rules = Audits.Rules("""
            { "version": 1, "extends": "hotdash:canonical",
              "database": { "migrations": { "skipExtensions": [
                { "name": "pgsodium", "reason": "not on the test server" }, { "name": "pg_graphql", "reason": "not on the test server" },
                { "name": "pgjwt", "reason": "not on the test server" }, { "name": "supabase_vault", "reason": "not on the test server" } ] } } }
            """);
        var result = await Run(Project("sknil-me__20231029142909_remote_schema.sql"), rules);

        Cell(result, "anon", "public.\"user\"", "read").Outcome.Should().Be(AccessOutcome.Allowed);
        var delete = Cell(result, "anon", "public.\"user\"", "delete");
        delete.Outcome.Should().Be(AccessOutcome.Allowed);
        delete.Detail.Should().Be("anon deleted user A's row in auth.users through the view");
        var finding = result.Findings.Single(f => f.RuleId == "HD5010");
        finding.Message.Should().Contain("Attack simulation: ").And.Contain("anon delete: anon deleted user A's row in auth.users through the view");
    }

    [Fact]
    public async Task A_public_buckets_objects_are_readable_as_declared_but_user_b_cannot_upload_into_user_a_s_folder_and_a_private_bucket_read_by_anyone_is_proved()
    {
        // Webnik/quota-platform: a public 'avatars' bucket; uploads only into the caller's own folder.
        var result = await Run(Project("quota-platform__storage_avatars.sql"));

        var read = Cell(result, "anon", "avatars", "read object");
        read.Outcome.Should().Be(AccessOutcome.Allowed);
        read.IntendedBecause.Should().Be("bucket 'avatars' is public: anyone downloads its objects by URL");
        Cell(result, "user B", "avatars", "upload into A's folder").Outcome.Should().Be(AccessOutcome.Denied);
        Cell(result, "anon", "avatars", "upload into A's folder").Outcome.Should().Be(AccessOutcome.Denied);
        Cell(result, "user B", "avatars", "delete object").Outcome.Should().Be(AccessOutcome.Denied);
        result.Findings.Should().NotContain(f => f.RuleId == "HD5015" && f.Fails);

        // The same policies on a bucket made private: anon downloads A's file, the proof of HD5011's error.
        var folder = Project("quota-platform__storage_avatars.sql");
        File.WriteAllText(Path.Combine(folder, "zz_private.sql"), "UPDATE storage.buckets SET public = false WHERE id = 'avatars';");
        var made = await Run(folder);
        Cell(made, "anon", "avatars", "read object").Should().Match<AccessCell>(c => c.Outcome == AccessOutcome.Allowed && c.Unintended);
        var listable = made.Findings.Single(f => f.RuleId == "HD5011");
        listable.Severity.Should().Be(Severity.Error);
        listable.Message.Should().Contain("Attack simulation: anon read object: anon read user A's object in bucket 'avatars' (a private bucket)");
    }

    [Fact]
    public async Task An_update_whose_with_check_is_true_lets_user_a_hand_their_row_to_user_b()
    {
        // supabase/splinter's own case (0024): FOR UPDATE USING (user_id = auth.uid()) WITH CHECK (true).
        var result = await Run(Project("splinter__0024_update_with_check_true.sql"));

        var away = Cell(result, "user A", "public.posts", "give user_id away");
        away.Outcome.Should().Be(AccessOutcome.Allowed);
        away.Detail.Should().StartWith("user A handed their row to user B (user_id = B's id)");
        result.Findings.Single(f => f.RuleId == "HD5006").Message.Should().Contain("Attack simulation: user A give user_id away");
        Cell(result, "user B", "public.posts", "update").Outcome.Should().Be(AccessOutcome.Denied, "B reaches no row of A's");
    }
}
