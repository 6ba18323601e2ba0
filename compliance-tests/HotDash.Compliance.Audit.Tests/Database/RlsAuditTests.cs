using System.Linq;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database;

public sealed class RlsAuditTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Compliant = """
        CREATE TABLE public.shops (id bigint PRIMARY KEY, domain text NOT NULL);
        ALTER TABLE public.shops ENABLE ROW LEVEL SECURITY;
        CREATE POLICY shops_owner ON public.shops USING (true);
        CREATE TABLE public.orders (id bigint PRIMARY KEY, shop_id bigint);
        ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
        CREATE POLICY orders_read ON public.orders FOR SELECT USING (true);
        CREATE POLICY orders_write ON public.orders FOR INSERT WITH CHECK (true);
        """;

    [Fact]
    public async Task A_compliant_schema_passes_every_table()
    {
        var result = await Run(Compliant);
        result.Findings.Should().HaveCount(2).And.OnlyContain(f => f.Severity == Severity.Pass && f.RuleId == "HD5001");
        result.Findings.Single(f => f.Subject == "table public.orders").Message.Should().Contain("2 policies");
        result.Summary.Should().Be("RLS coverage: 2/2 tables (100%)");
    }

    [Fact]
    public async Task A_table_without_rls_is_an_error_with_the_fix()
    {
        var result = await Run(Compliant + "CREATE TABLE public.notes (id int); REVOKE ALL ON public.notes FROM PUBLIC;");
        var finding = result.Findings.Single(f => f.Subject == "table public.notes");
        finding.RuleId.Should().Be("HD5001");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY");
        finding.Evidence.Should().Contain("relrowsecurity = false");
        result.Summary.Should().Be("RLS coverage: 2/3 tables (67%)");
    }

    [Fact]
    public async Task Rls_without_a_policy_is_a_warning_unless_the_rules_say_otherwise()
    {
        const string Sql = "CREATE TABLE public.vault (id int); ALTER TABLE public.vault ENABLE ROW LEVEL SECURITY;";
        var warning = (await Run(Sql)).Findings.Single();
        warning.RuleId.Should().Be("HD5002");
        warning.Severity.Should().Be(Severity.Warning);
        warning.Message.Should().Contain("denies every row");

        var strict = Audits.Rules("""{ "version": 1, "database": { "rls": { "schemas": ["public"], "noPolicySeverity": "error" } } }""");
        (await Run(Sql, strict)).Findings.Single().Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public async Task Policies_without_rls_are_an_error()
    {
        var finding = (await Run("CREATE TABLE public.drafts (id int); CREATE POLICY drafts_p ON public.drafts USING (true);")).Findings.Single();
        finding.RuleId.Should().Be("HD5003");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("1 policy but row-level security is disabled");
    }

    [Fact]
    public async Task Partitioned_parents_and_each_partition_are_audited_and_partitions_name_their_parent()
    {
        var result = await Run("""
            CREATE TABLE public.events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
            ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;
            CREATE POLICY events_p ON public.events USING (true);
            CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE TABLE public.audit (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
            """);
        result.Findings.Single(f => f.Subject == "table public.events").Severity.Should().Be(Severity.Pass);
        var partition = result.Findings.Single(f => f.Subject == "table public.events_2026");
        partition.RuleId.Should().Be("HD5001");
        partition.Severity.Should().Be(Severity.Error);
        partition.Message.Should().Contain("partition of public.events").And.Contain("bypasses its parent's policies");
        var parent = result.Findings.Single(f => f.Subject == "table public.audit");
        parent.Severity.Should().Be(Severity.Error, "a partitioned parent without RLS is a violation; splinter misses these");
        parent.Evidence.Should().Contain("relkind = 'p' (partitioned table)");
    }

    [Fact]
    public async Task Extension_owned_tables_are_left_out_and_listed()
    {
        var result = await Run(Compliant + """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE TABLE public.trgm_cache (word text);
            ALTER EXTENSION pg_trgm ADD TABLE public.trgm_cache;
            """);
        var finding = result.Findings.Single(f => f.Subject == "table public.trgm_cache");
        finding.Severity.Should().Be(Severity.Info);
        finding.Message.Should().Contain("owned by extension 'pg_trgm'");
        result.Summary.Should().Be("RLS coverage: 2/2 tables (100%); 1 extension-owned left out");
    }

    [Fact]
    public async Task Quoted_mixed_case_identifiers_and_many_schemas_are_audited()
    {
        var rules = Audits.Rules("""{ "version": 1, "database": { "rls": { "schemas": ["public", "Tenant-A", "billing"] } } }""");
        var result = await Run("""
            CREATE SCHEMA "Tenant-A";
            CREATE SCHEMA billing;
            CREATE SCHEMA ignored;
            CREATE TABLE "Tenant-A"."Order Items" (id int);
            CREATE TABLE billing."Invoices" (id int);
            ALTER TABLE billing."Invoices" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "Owner Only" ON billing."Invoices" USING (true);
            CREATE TABLE ignored.anything (id int);
            """, rules);
        result.Findings.Select(f => f.Subject).Should().BeEquivalentTo(["table \"Tenant-A\".\"Order Items\"", "table billing.\"Invoices\""]);
        result.Findings.Single(f => f.Subject.Contains("Order Items")).Message
            .Should().Contain("ALTER TABLE \"Tenant-A\".\"Order Items\" ENABLE ROW LEVEL SECURITY");
    }

    [Fact]
    public async Task Exemptions_need_a_reason_and_stale_ones_are_reported()
    {
        var rules = Audits.Rules("""
            { "version": 1, "database": { "rls": { "schemas": ["public"], "exemptions": [
              { "table": "public.schema_migrations", "reason": "written by the migration tool only; no client role has rights" },
              { "table": "public.dropped_long_ago", "reason": "old" } ] } } }
            """);
        var result = await Run("CREATE TABLE public.schema_migrations (version text);", rules);
        var exempt = result.Findings.Single(f => f.Subject == "table public.schema_migrations");
        exempt.Severity.Should().Be(Severity.Pass);
        exempt.Evidence.Should().Contain(e => e.StartsWith("exempt: written by the migration tool"));
        var stale = result.Findings.Single(f => f.RuleId == "HD5005");
        stale.Subject.Should().Be("exemption public.dropped_long_ago");
        stale.Severity.Should().Be(Severity.Warning);
        result.Summary.Should().Be("RLS coverage: 0/1 tables (0%), 1 exempt with a reason");
    }

    [Fact]
    public async Task The_number_of_round_trips_does_not_grow_with_the_number_of_tables()
    {
        static string Tables(int n) => string.Concat(Enumerable.Range(0, n).Select(i => $"CREATE TABLE public.t{i} (id int);"));
        var few = await server.CreateDatabaseAsync(Tables(3));
        var many = await server.CreateDatabaseAsync(Tables(300));

        async Task<(int RoundTrips, int Findings)> Audit(string database)
        {
            var session = await Audits.OpenAsync(server.Url(database));
            var result = await new RlsAudit().RunAsync(session, Audits.Defaults);
            await session.DisposeAsync();
            return (session.RoundTrips, result.Findings.Count);
        }

        var small = await Audit(few);
        var large = await Audit(many);
        large.Findings.Should().Be(300);
        large.RoundTrips.Should().Be(small.RoundTrips);
    }

    [Fact]
    public async Task Rls_without_a_policy_names_who_still_reads_the_table_and_an_exemption_makes_it_intended()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], "CREATE TABLE public.audit_log (id int); ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;");
        var result = await SupabaseDatabase.AuditAsync(server, database);
        var warning = result.Findings.Single(f => f.Subject == "table public.audit_log" && f.Concern == RlsAudit.Concern);
        warning.RuleId.Should().Be("HD5002");
        warning.Message.Should().Contain("(the API roles anon, authenticated among them)").And.Contain("its owner postgres")
            .And.Contain("BYPASSRLS roles with SELECT (service_role)").And.Contain("database.rls.exemptions");

        var exempt = Audits.Rules("""
            { "version": 1, "database": { "rls": { "schemas": ["public"], "exemptions": [
              { "table": "public.audit_log", "reason": "written by the service role only; the API must see nothing" } ] } } }
            """);
        var intended = (await SupabaseDatabase.AuditAsync(server, database, exempt)).Findings.Single(f => f.Subject == "table public.audit_log" && f.Concern == RlsAudit.Concern);
        intended.Severity.Should().Be(Severity.Pass);
        intended.Message.Should().Contain("deny-all for the API").And.Contain("the API must see nothing");

        // What "deny-all" means, proved: the API role sees no row, the service role sees them all.
        var anon = await ApiProof.RunAsync(server, database, "INSERT INTO public.audit_log VALUES (1);", "anon", null, "SELECT count(*) FROM public.audit_log");
        anon.Rows.Should().Equal("0");
        var service = await ApiProof.RunAsync(server, database, "INSERT INTO public.audit_log VALUES (1);", "service_role", null, "SELECT count(*) FROM public.audit_log");
        service.Rows.Should().Equal("1");
    }

    [Fact]
    public async Task The_whole_database_audit_takes_the_same_round_trips_for_3_and_for_300_tables_policies_and_functions()
    {
        static string Objects(int n) => string.Concat(Enumerable.Range(0, n).Select(i => $"""
            CREATE TABLE public.t{i} (id int, owner uuid);
            ALTER TABLE public.t{i} ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p{i} ON public.t{i} FOR UPDATE USING (owner = auth.uid());
            CREATE FUNCTION public.f{i}() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT {i}';
            CREATE VIEW public.v{i} WITH (security_invoker = true) AS SELECT id FROM public.t{i};
            """));
        var few = await SupabaseDatabase.CreateAsync(server, [], Objects(3));
        var many = await SupabaseDatabase.CreateAsync(server, [], Objects(300));

        async Task<(int RoundTrips, DatabaseAuditResult Result)> Audit(string database)
        {
            var session = await Audits.OpenAsync(server.Url(database));
            var result = await DatabaseAudit.RunAsync(session, Audits.Defaults);
            await session.DisposeAsync();
            return (session.RoundTrips, result);
        }

        var small = await Audit(few);
        var large = await Audit(many);
        large.Result.Snapshot.Policies.Count(p => p.Schema == "public").Should().Be(300);
        large.Result.Snapshot.Functions.Count(f => f.Schema == "public").Should().Be(300);
        large.Result.Findings.Count(f => f.RuleId == "HD5008" && f.Severity == Severity.Error).Should().Be(300);
        large.RoundTrips.Should().Be(small.RoundTrips).And.Be(5, "connect + settings, two catalog batches, rollback");
    }

    private async Task<RlsAuditResult> Run(string sql, HotDash.Compliance.Audit.Rules.RulesDocument? rules = null)
    {
        var database = await server.CreateDatabaseAsync(sql);
        await using var session = await Audits.OpenAsync(server.Url(database));
        return await new RlsAudit().RunAsync(session, rules ?? Audits.Defaults);
    }
}
