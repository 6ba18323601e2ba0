using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;
using HotDash.Compliance.Audit.Tests.Infrastructure;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Migrations;

/// <summary>
/// The migrations audit as a pull request runs it: a real project's supabase/migrations applied to a disposable
/// database through the code users run, the whole database audit, and every exposure proved there.
/// </summary>
public sealed class MigrationsAuditTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly string Project = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "supabase", "projects", "whisper-of-hope");

    private static RulesDocument Rules(string json = """{ "version": 1 }""") => Audits.Rules(json);

    private static Task<MigrationsAuditResult> Run(string migrations, RulesDocument? rules = null, string? disposable = null, string? seed = null) =>
        MigrationsAudit.RunAsync(migrations, seed, new DisposableServer(disposable, AuditSettings.FromEnvironment().PostgresBin), Repository.Root, rules ?? Audits.Defaults, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_real_projects_migration_history_that_does_not_apply_from_scratch_fails_at_the_statement()
    {
        // whisper-of-hope's fourth migration re-creates a policy its first one created and never dropped:
        // `supabase db reset` fails there too. Found by this audit, not planted.
        var result = await Run(Path.Combine(Project, "migrations"));

        result.Applied.Applied.Should().HaveCount(3);
        var failure = result.Findings.Single(f => f.Fails);
        failure.RuleId.Should().Be("HD5013");
        failure.Location.Should().EndWith("projects/whisper-of-hope/migrations/20250913001824_21b4d254-673e-4976-89fe-59f11159f4d9.sql:5:1");
        failure.Message.Should().Contain("policy \"Users can view all reports\" for table \"reports\" already exists");
        result.Database.Should().BeNull();
    }

    [Fact]
    public async Task A_real_projects_migrations_apply_in_a_throwaway_server_and_every_exposure_carries_its_proof()
    {
        var first3 = Migrations(Directory.GetFiles(Path.Combine(Project, "migrations")).Order(StringComparer.Ordinal).Take(3)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray());
        var result = await Run(first3);

        result.Origin.Should().StartWith("a throwaway PostgreSQL on 127.0.0.1:");
        result.Applied.Failure.Should().BeNull();
        result.Applied.Applied.Should().HaveCount(3);
        result.Findings.Where(f => f.RuleId == "HD5013").Should().HaveCount(3).And.OnlyContain(f => f.Severity == Severity.Pass);

        var function = result.Findings.Single(f => f.RuleId == "HD5008" && f.Subject == "function public.increment_poll_option_votes(option_id uuid)");
        function.Severity.Should().Be(Severity.Error);
        function.Message.Should().Contain("Proved on the disposable database: anon called public.increment_poll_option_votes(option_id uuid); it ran with postgres's rights");
        function.Evidence.Should().Contain(e => e.StartsWith("proof (rolled back): SET LOCAL ROLE anon; [request.jwt.claims for a made-up user] SELECT public.increment_poll_option_votes('00000000-0000-4000-8000-00000000000a'::uuid); ROLLBACK"));

        var read = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.reports");
        read.Message.Should().Contain("Proved on the disposable database: anon read 1 row(s), the proof's own among them, through policy \"Users can view all reports\"");

        // The trigger function stays a pass, and nothing was left behind: the database is gone.
        result.Findings.Single(f => f.Subject == "function public.handle_new_user()").Severity.Should().Be(Severity.Pass);
    }

    [Fact]
    public async Task Write_exposures_are_proved_as_user_b_on_user_a_s_row_and_a_guarded_table_is_reported_not_exploitable()
    {
        var folder = Migrations(("0001_notes.sql", """
            CREATE TABLE public.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner uuid NOT NULL REFERENCES auth.users (id), body text NOT NULL);
            ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "Enable update for authenticated users only" ON public.notes FOR UPDATE TO authenticated USING (true);
            CREATE TABLE public.ledger (id bigint PRIMARY KEY, amount numeric NOT NULL);
            ALTER TABLE public.ledger ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "anyone" ON public.ledger FOR UPDATE TO authenticated USING (true);
            CREATE FUNCTION public.ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER ledger_append_only BEFORE UPDATE ON public.ledger FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();
            CREATE TABLE public.profiles (id uuid PRIMARY KEY, bio text);
            ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "bio" ON public.profiles FOR UPDATE TO authenticated USING (true);
            REVOKE UPDATE ON public.profiles FROM authenticated;
            GRANT UPDATE (bio) ON public.profiles TO authenticated;
            """));
        var result = await Run(folder);

        var notes = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.notes");
        notes.Severity.Should().Be(Severity.Error, string.Join(" | ", notes.Evidence) + notes.Message);
        notes.Message.Should().Contain($"authenticated user B ({ExposureProver.UserB}) updated 1 row(s) owned by user A ({ExposureProver.UserA})");

        var ledger = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.ledger");
        ledger.Severity.Should().Be(Severity.Info, "the trigger skips every update: the policy is not exploitable");
        ledger.Message.Should().StartWith("Not exploitable as claimed:").And.Contain("reached no row");

        // A column grant is enough: the proof updates the column the role may update.
        var profiles = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.profiles");
        profiles.Severity.Should().Be(Severity.Error);
        profiles.Evidence.Should().Contain(e => e.Contains("UPDATE public.profiles SET bio = 'hotdash-proof'::text"));
    }

    [Fact]
    public async Task A_migration_that_does_not_apply_fails_at_its_file_line_and_column_with_postgresqls_message()
    {
        var folder = Migrations(
            ("0001_ok.sql", "CREATE TABLE public.a (id int);"),
            ("0002_broken.sql", "CREATE TABLE public.b (id int);\n\nALTER TABLE public.b ADD COLUMN c integer REFERENCES public.missing (id);\n"),
            ("0003_never.sql", "CREATE TABLE public.c (id int);"));
        var result = await Run(folder);

        var failure = result.Findings.Single(f => f.RuleId == "HD5013" && f.Fails);
        failure.Location.Should().MatchRegex(@"0002_broken\.sql:3:\d+$");
        failure.Message.Should().Contain("relation \"public.missing\" does not exist").And.Contain("Fix the migration");
        result.Applied.Applied.Should().HaveCount(1);
        result.Database.Should().BeNull("a database half migrated is not audited");
    }

    [Fact]
    public async Task An_extension_the_server_lacks_is_named_and_can_be_skipped_with_a_reason()
    {
        var folder = Migrations(("0001_extensions.sql", "create extension if not exists pg_net with schema extensions;\nCREATE TABLE public.a (id int);\n"));
        var failed = await Run(folder);
        var failure = failed.Findings.Single(f => f.Fails);
        failure.Message.Should().Contain("extension 'pg_net' is not installed").And.Contain("skipExtensions");
        failure.Location.Should().EndWith("0001_extensions.sql:1:1");

        var rules = Rules("""{ "version": 1, "database": { "migrations": { "skipExtensions": [ { "name": "pg_net", "reason": "webhooks only; nothing the audit reads depends on it" } ] } } }""");
        var skipped = await Run(folder, rules);
        skipped.Applied.Failure.Should().BeNull();
        skipped.Applied.Skipped.Should().ContainSingle().Which.Should().EndWith("0001_extensions.sql:1: CREATE EXTENSION pg_net (webhooks only; nothing the audit reads depends on it)");
        skipped.Applied.Summary.Should().Contain("1 statement(s) skipped by the rules");
    }

    [Fact]
    public async Task A_declared_disposable_server_gets_a_fresh_database_that_is_dropped_afterwards()
    {
        var folder = Migrations(("0001.sql", "CREATE TABLE public.open_table (id int); GRANT SELECT ON public.open_table TO anon;"));
        var result = await Run(folder, disposable: server.Url("postgres"));

        result.Origin.Should().StartWith("the disposable server postgres://postgres@127.0.0.1:");
        var open = result.Findings.Single(f => f.RuleId == "HD5001" && f.Subject == "table public.open_table");
        open.Message.Should().Contain("Proved on the disposable database: anon read 1 row(s) of public.open_table");
        var left = await server.ScalarAsync<long>("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'hotdash_migrations_%'");
        left.Should().Be(0);
    }

    [Fact]
    public async Task Proofs_refuse_a_database_the_audit_did_not_create()
    {
        var database = await server.CreateDatabaseAsync("CREATE TABLE public.precious (id int);");
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var prove = () => DisposableDatabase.EnsureDisposableAsync(connection);
        (await prove.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage($"refusing to prove exposures in database '{database}'*the audit did not create it*never HOTDASH_DATABASE_URL*");
    }

    [Fact]
    public async Task Database_findings_are_located_at_the_statement_that_wrote_their_subject_last()
    {
        var folder = Migrations(
            ("0001_tables.sql", "CREATE TABLE public.a (id int);\n\n-- b is guarded\nCREATE TABLE public.b (id int);\nALTER TABLE public.b ENABLE ROW LEVEL SECURITY;\n"),
            ("0002_later.sql", "-- a grows a column: its last change\nALTER TABLE public.a ADD COLUMN note text;\n\n  /* a policy that says nothing */ CREATE POLICY b_all ON public.b FOR UPDATE TO authenticated\n  USING (true) WITH CHECK (true);\n"));
        var result = await Run(folder);

        var noRls = result.Findings.Single(f => f.RuleId == "HD5001" && f.Fails);
        noRls.Location.Should().EndWith("0002_later.sql:2:1", "the ALTER TABLE in the second file is the table's last change");
        noRls.Evidence.Should().Contain(e => e.StartsWith("audited on postgres://", StringComparison.Ordinal) && e.Contains("hotdash_migrations_"));
        result.Findings.Single(f => f.RuleId == "HD5006" && f.Fails).Location.Should().EndWith("0002_later.sql:4:36", "a policy finding is at the policy's statement");
        result.Findings.Should().Contain(f => f.RuleId == "HD5001" && f.Subject == "table public.b" && f.Location.EndsWith("0001_tables.sql:5:1"), "passes are located too");

        // The recorder is gone before the audit: the database holds what the migrations made, nothing of ours.
        result.Findings.Should().NotContain(f => f.Subject.Contains("hotdash_provenance"));
    }

    [Fact]
    public async Task A_folder_without_migrations_fails_and_says_where_it_looked_and_where_they_are()
    {
        var empty = Migrations();
        var above = Directory.CreateTempSubdirectory("hotdash-project-").FullName;
        Directory.CreateDirectory(Path.Combine(above, "supabase", "migrations"));
        File.WriteAllText(Path.Combine(above, "supabase", "migrations", "0001_a.sql"), "CREATE TABLE public.a (id int);");

        foreach (var (folder, hint) in new[] { (empty, "point HOTDASH_MIGRATIONS at your supabase/migrations folder"), (above, "Migrations are in supabase/migrations") })
        {
            var settings = new AuditSettings
            {
                Migrations = folder, RepoRoot = folder == above ? above : Path.GetDirectoryName(folder)!,
                RulesPath = Repository.PathOf("rules", "canonical-stack.json"), ReportDirectory = Directory.CreateTempSubdirectory("hotdash-report-").FullName,
            };
            var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);

            var failure = outcome.Findings.Should().ContainSingle(f => f.RuleId == "HD5013").Which;
            failure.Fails.Should().BeTrue();
            failure.Message.Should().Contain("holds no migration").And.Contain(hint);
            outcome.Report.Summary.Should().NotContain(s => s.Contains("RLS coverage"), "an empty database has no coverage to speak of");
            outcome.NotAuditedReason(AuditRunner.DatabaseConcern)!.Requested.Should().BeTrue();
            outcome.Report.Passed.Should().BeFalse();
        }
    }

    private static string Migrations(params (string Name, string Sql)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("hotdash-migrations-").FullName;
        foreach (var (name, sql) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), sql);
        }

        return folder;
    }
}
