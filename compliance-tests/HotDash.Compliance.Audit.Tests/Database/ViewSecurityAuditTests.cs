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
}
