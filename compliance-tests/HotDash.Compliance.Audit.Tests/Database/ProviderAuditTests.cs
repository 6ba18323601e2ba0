using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database;

/// <summary>The verdict from the host alone: no database needed.</summary>
public class ProviderVerdictTests
{
    private static readonly HashSet<string> SupabaseInside = ["schema auth", "schema storage", "role anon", "role authenticated", "role service_role", "role supabase_admin"];

    [Theory]
    [InlineData("postgres://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres")]
    [InlineData("postgres://postgres.abcdefghijklmnop:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")]
    [InlineData("Host=DB.ABCDEFGHIJKLMNOP.SUPABASE.CO.;Username=postgres;Password=pw")]
    public void Supabase_hosts_pass(string url)
    {
        var finding = ProviderAudit.Judge(DatabaseTarget.Parse(url), Audits.Defaults, SupabaseInside);
        finding.Severity.Should().Be(Severity.Pass);
        finding.Evidence.Should().Contain(e => e.Contains("matches supabase pattern"));
    }

    [Fact]
    public void Dockers_host_name_is_not_fly_and_the_evidence_says_which_exclusion_took_it_out()
    {
        var finding = ProviderAudit.Judge(DatabaseTarget.Parse("Host=host.docker.internal;Username=postgres;Password=pw"), Audits.Defaults, new HashSet<string>());
        finding.Message.Should().NotContain("fly-postgres");
        finding.Evidence.Should().Contain("host host.docker.internal matches no provider's host pattern (fly-postgres's exclusion 'host.docker.internal' takes it out)");
    }

    [Theory]
    [InlineData("postgres://postgres:pw@hotdash-staging-db.flycast:5432/hotdash", "*.flycast")]
    [InlineData("postgres://postgres:pw@hotdash-db.internal:5432/hotdash", "*.internal")]
    [InlineData("postgres://postgres:pw@top2.nearest.of.hotdash-db.internal:5432/hotdash", "*.internal")]
    [InlineData("postgres://u:pw@direct.abc123.flympg.net/db", "*.flympg.net")]
    [InlineData("Host=hotdash-db.fly.dev;Username=u;Password=pw", "*.fly.dev")]
    public void Fly_hosts_fail_even_when_the_database_looks_like_supabase(string url, string pattern)
    {
        var finding = ProviderAudit.Judge(DatabaseTarget.Parse(url), Audits.Defaults, SupabaseInside);
        finding.RuleId.Should().Be("HD6001");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("hosted on fly-postgres").And.Contain("forbidden").And.Contain("the host decides");
        finding.Evidence.Should().Contain(e => e.Contains($"pattern '{pattern}'"));
        finding.Message.Should().NotContain("pw");
    }
}

/// <summary>Each provider's signature, in a server of its own (roles and databases are cluster-wide).</summary>
public sealed class SupabaseLikeProviderTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Supabase_names_alone_do_not_confirm_supabase()
    {
        // Any PostgreSQL can have a schema "auth" and roles named like Supabase's: that is not Supabase.
        var database = await server.CreateDatabaseAsync("""
            CREATE SCHEMA auth; CREATE SCHEMA storage;
            CREATE ROLE anon NOLOGIN; CREATE ROLE authenticated NOLOGIN; CREATE ROLE service_role NOLOGIN;
            """);
        await using var session = await Audits.OpenAsync(server.Url(database));
        var finding = await new ProviderAudit().RunAsync(session, Audits.Defaults, TestContext.Current.CancellationToken);
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().StartWith("Cannot confirm that the database is supabase").And.Contain("has supabase's names (schemas, roles) but not its platform artifacts");
        finding.Evidence.Should().Contain("host 127.0.0.1 matches no provider's host pattern");
        finding.Evidence.Should().Contain(e => e.StartsWith("supabase name signals inside the database: 5/6 found") && e.EndsWith("missing: role supabase_admin"));
        finding.Evidence.Should().Contain(e => e.StartsWith("supabase platform artifacts inside the database: 0/7 found"));
    }
}

/// <summary>The platform stub creates Supabase's roles too: a server of its own, so the order of tests cannot matter.</summary>
public sealed class SupabasePlatformProviderTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Supabase_platform_artifacts_confirm_supabase_from_inside_with_medium_confidence()
    {
        var database = await server.CreateDatabaseAsync(HotDash.Compliance.Audit.Database.Platform.SupabasePlatformStub.Sql);
        await using var session = await Audits.OpenAsync(server.Url(database));
        var finding = await new ProviderAudit().RunAsync(session, Audits.Defaults, TestContext.Current.CancellationToken);
        finding.Severity.Should().Be(Severity.Pass);
        finding.Message.Should().Contain("judged from inside (confidence: medium");
        finding.Evidence.Should().Contain("supabase platform artifacts inside the database: 3/7 found (table auth.schema_migrations, table storage.migrations, publication supabase_realtime); missing: extension pg_graphql, extension supabase_vault, extension pgsodium, setting supautils.reserved_roles");
    }
}

public sealed class FlyLikeProviderTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_fly_postgres_like_database_is_a_violation_with_its_evidence()
    {
        await server.ExecuteAsync("postgres", "CREATE DATABASE repmgr");
        await server.ExecuteAsync("postgres", "CREATE ROLE flypgadmin LOGIN SUPERUSER");
        var database = await server.CreateDatabaseAsync("CREATE TABLE public.staging (id int);");
        await using var session = await Audits.OpenAsync(server.Url(database));
        var finding = await new ProviderAudit().RunAsync(session, Audits.Defaults, TestContext.Current.CancellationToken);
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("signature of fly-postgres, not of the declared provider supabase");
        finding.Evidence.Should().Contain("fly-postgres name signals inside the database: 2/2 found (role flypgadmin, database repmgr)");
    }
}

public sealed class PlainPostgresProviderTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_database_with_no_signature_cannot_be_confirmed()
    {
        var database = await server.CreateDatabaseAsync("CREATE SCHEMA auth;");
        await using var session = await Audits.OpenAsync(server.Url(database));
        var finding = await new ProviderAudit().RunAsync(session, Audits.Defaults, TestContext.Current.CancellationToken);
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().StartWith("Cannot confirm that the database is supabase");
        finding.Evidence.Should().Contain(e => e.StartsWith("supabase name signals inside the database: 1/6 found (schema auth)"));
    }
}
