using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Settings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database;

/// <summary>The audit is read-only, bounded in time, and never prints a password.</summary>
public sealed class AuditSafetyTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Password = "s3cr3t-P@ss/word";

    [Fact]
    public async Task The_audit_runs_as_a_select_only_role_with_read_only_default_and_never_prints_its_password()
    {
        var database = await server.CreateDatabaseAsync($"""
            CREATE TABLE public.shops (id int);
            ALTER TABLE public.shops ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON public.shops USING (true);
            CREATE TABLE public.orders (id int);
            CREATE VIEW public.v AS SELECT 1 AS one;
            CREATE ROLE hotdash_auditor LOGIN PASSWORD '{Password}';
            ALTER ROLE hotdash_auditor SET default_transaction_read_only = on;
            """);
        var reportDirectory = Directory.CreateTempSubdirectory("hotdash-report-").FullName;
        var settings = Settings(server.Url(database, "hotdash_auditor", Password), reportDirectory);

        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);
        var (markdown, json) = ReportWriter.Write(outcome.Report, reportDirectory, null);

        outcome.NotAuditedReason(AuditRunner.DatabaseConcern).Should().BeNull();
        outcome.Rls!.Summary.Should().Be("RLS coverage: 1/2 tables (50%)");
        outcome.Findings.Should().Contain(f => f.RuleId == "HD5004" && f.Subject == "view public.v");
        foreach (var text in new[] { File.ReadAllText(markdown), File.ReadAllText(json), string.Join("\n", outcome.Findings) })
        {
            text.Should().NotContain(Password).And.NotContain(Uri.EscapeDataString(Password));
        }

        File.ReadAllText(markdown).Should().Contain("postgres://hotdash_auditor@127.0.0.1:");
    }

    [Fact]
    public async Task The_documented_least_privilege_role_sees_what_the_owner_sees()
    {
        // samples/supabase/audit-role.sql as README gives it, on the sample's own migrations over the platform stub:
        // no right on any table, and the same findings as an audit connected as the database's owner.
        var migrations = Directory.GetFiles(Repository.PathOf("samples", "supabase", "migrations"), "*.sql").Order(StringComparer.Ordinal).Select(File.ReadAllText);
        var database = await server.CreateDatabaseAsync(HotDash.Compliance.Audit.Database.Platform.SupabasePlatformStub.Sql + "\n" + string.Join("\n", migrations));
        // Roles are the server's, shared by this class's databases: the documented role under a name of this test's own.
        var role = Repository.Read("samples", "supabase", "audit-role.sql").Replace(":'auditor_password'", $"'{Password}'", StringComparison.Ordinal)
            .Replace("hotdash_auditor", "hotdash_documented_auditor", StringComparison.Ordinal);
        await server.ExecuteAsync(database, role);

        // A public bucket that anon lists in full: rows of storage.buckets, which Supabase hides behind RLS.
        await server.ExecuteAsync(database, """
            INSERT INTO storage.buckets (id, name, public) VALUES ('avatars', 'avatars', true);
            CREATE POLICY "anyone lists avatars" ON storage.objects FOR SELECT USING (bucket_id = 'avatars');
            """);
        (await server.ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'hotdash_documented_auditor' AND table_schema = 'public'"))
            .Should().Be(0, "the role has no right on any table of the application");

        async Task<string[]> Findings(string url)
        {
            var outcome = await AuditRunner.RunAsync(Settings(url, Directory.CreateTempSubdirectory("hotdash-report-").FullName), TestContext.Current.CancellationToken);
            outcome.Report.NotAudited.Should().NotContain(n => n.Requested, "the documented role may read all the audit needs");
            return outcome.Findings.Select(f => $"{f.RuleId} {f.Severity} {f.Subject}").Order(StringComparer.Ordinal).ToArray();
        }

        var asOwner = await Findings(server.Url(database));
        (await Findings(server.Url(database, "hotdash_documented_auditor", Password))).Should().Equal(asOwner);
        asOwner.Should().Contain("HD5001 Error table public.inventory_alerts").And.Contain("HD5011 Error bucket avatars");
    }

    [Fact]
    public async Task The_audit_transaction_refuses_writes()
    {
        var database = await server.CreateDatabaseAsync("CREATE TABLE public.t (id int);");
        await using var session = await Audits.OpenAsync(server.Url(database));
        var write = () => session.QueryAsync("INSERT INTO public.t VALUES (1) RETURNING id", _ => { }, r => r.GetInt32(0));
        (await write.Should().ThrowAsync<DatabaseUnreachableException>()).WithMessage("*25006*read-only transaction*");
        (await server.ScalarAsync<long>(database, "SELECT count(*) FROM public.t")).Should().Be(0);
    }

    [Fact]
    public async Task An_unreachable_database_fails_fast_with_host_and_cause_but_no_password()
    {
        var closedPort = server.Port + 1 == 65536 ? server.Port - 1 : server.Port + 1;
        var url = $"postgres://auditor:{Uri.EscapeDataString(Password)}@127.0.0.1:{closedPort}/hotdash";
        var watch = Stopwatch.StartNew();
        var outcome = await AuditRunner.RunAsync(Settings(url, Path.GetTempPath()) with { ConnectTimeout = TimeSpan.FromSeconds(3) }, TestContext.Current.CancellationToken);
        watch.Stop();

        var notAudited = outcome.NotAuditedReason(AuditRunner.DatabaseConcern)!;
        notAudited.Reason.Should().Contain($"127.0.0.1:{closedPort}/hotdash").And.Contain("cannot audit").And.NotContain(Password);
        notAudited.Requested.Should().BeTrue("HOTDASH_DATABASE_URL was set: the user asked for this audit");
        outcome.Report.Passed.Should().BeFalse("a database the audit never reached is not compliant");
        outcome.Report.Verdict.Should().StartWith("FAILED").And.Contain("database requested but not audited");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "a refused connection must not hang the audit");
    }

    [Fact]
    public async Task A_missing_database_url_skips_the_database_concern_with_the_reason()
    {
        var outcome = await AuditRunner.RunAsync(Settings(null, Path.GetTempPath()), TestContext.Current.CancellationToken);
        var notAudited = outcome.Report.NotAudited.Should().ContainSingle(s => s.Concern == "database").Which;
        notAudited.Reason.Should().Contain("HOTDASH_DATABASE_URL is not set");
        notAudited.Requested.Should().BeFalse("nothing asked for it: it is not configured");
        outcome.Findings.Should().NotContain(f => f.RuleId.StartsWith("HD5") || f.RuleId.StartsWith("HD6"));
    }

    [Fact]
    public async Task A_malformed_database_url_is_reported_without_its_secret()
    {
        var outcome = await AuditRunner.RunAsync(Settings($"Host=127.0.0.1;Pasword={Password}", Path.GetTempPath()), TestContext.Current.CancellationToken);
        var notAudited = outcome.NotAuditedReason(AuditRunner.DatabaseConcern)!;
        notAudited.Reason.Should().StartWith("HOTDASH_DATABASE_URL: not a valid Npgsql connection string").And.NotContain(Password);
        notAudited.Requested.Should().BeTrue();
        outcome.Report.Passed.Should().BeFalse();
    }

    private static AuditSettings Settings(string? url, string reportDirectory) => new()
    {
        DatabaseUrl = url,
        RepoRoot = Repository.Root,
        RulesPath = Repository.PathOf("rules", "canonical-stack.json"),
        ReportDirectory = reportDirectory,
    };
}
