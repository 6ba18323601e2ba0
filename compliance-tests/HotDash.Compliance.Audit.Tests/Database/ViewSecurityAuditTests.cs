using System.Linq;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database;

public sealed class ViewSecurityAuditTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Views_without_security_invoker_bypass_rls_and_the_fix_is_named()
    {
        var database = await server.CreateDatabaseAsync("""
            CREATE TABLE public.orders (id int, shop text);
            ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON public.orders USING (true);
            CREATE VIEW public.order_totals AS SELECT shop, count(*) FROM public.orders GROUP BY shop;
            CREATE VIEW public."Safe View" WITH (security_invoker = true) AS SELECT id FROM public.orders;
            CREATE MATERIALIZED VIEW public.order_cache AS SELECT * FROM public.orders;
            CREATE SCHEMA private;
            CREATE VIEW private.internal AS SELECT 1 AS one;
            -- Readable by the API roles wherever they exist on this server (another test's Supabase stub creates them).
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;
            """);
        await using var session = await Audits.OpenAsync(server.Url(database));
        var findings = await new ViewSecurityAudit().RunAsync(session, Audits.Defaults, TestContext.Current.CancellationToken);

        findings.Should().HaveCount(3, "views outside the audited schemas are not exposed");
        var bypass = findings.Single(f => f.Subject == "view public.order_totals");
        bypass.RuleId.Should().Be("HD5004");
        bypass.Severity.Should().Be(Severity.Error);
        bypass.Message.Should().Contain("ALTER VIEW public.order_totals SET (security_invoker = true);");
        findings.Single(f => f.Subject == "view public.\"Safe View\"").Severity.Should().Be(Severity.Pass);
        findings.Single(f => f.Subject == "view public.order_cache").Message.Should().StartWith("Materialized view");
    }

    /// <summary>
    /// A materialized view (or a definer view) that no API role may select from bypasses RLS for nobody the API
    /// serves: not an error. Proved: anon's SELECT is refused; granted again, it is an error and anon reads its rows.
    /// </summary>
    [Fact]
    public async Task A_materialized_view_no_api_role_may_select_from_passes_and_granting_it_makes_it_an_error()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.orders (id int PRIMARY KEY, shop text);
            ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
            CREATE MATERIALIZED VIEW public.order_cache AS SELECT * FROM public.orders;
            REVOKE ALL ON public.order_cache FROM anon, authenticated;
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var cache = result.Findings.Single(f => f.RuleId == "HD5004" && f.Subject == "view public.order_cache");
        cache.Severity.Should().Be(Severity.Pass);
        cache.Message.Should().Contain("no API role (anon, authenticated) may select from it");
        var denied = await ApiProof.RunAsync(server, database, string.Empty, "anon", null, "SELECT count(*)::text FROM public.order_cache");
        denied.Error.Should().Be("permission denied for materialized view order_cache");

        await server.ExecuteAsync(database, "INSERT INTO public.orders VALUES (1, 'acme'); REFRESH MATERIALIZED VIEW public.order_cache; GRANT SELECT ON public.order_cache TO anon;");
        (await SupabaseDatabase.AuditAsync(server, database)).Findings.Single(f => f.RuleId == "HD5004" && f.Subject == "view public.order_cache").Severity.Should().Be(Severity.Error);
        (await ApiProof.RunAsync(server, database, string.Empty, "anon", null, "SELECT shop FROM public.order_cache")).Rows.Should().Equal("acme");
    }
}
