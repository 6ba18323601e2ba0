using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>HD5012: the exposed schemas come from the database (PostgREST's pgrst.db_schemas) before the rules.</summary>
public sealed class HD5012ExposedSchemaTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string ApiSchema = """
        CREATE SCHEMA api;
        GRANT USAGE ON SCHEMA api TO anon, authenticated;
        CREATE TABLE api.orders (id int PRIMARY KEY, total numeric);
        GRANT SELECT ON api.orders TO anon;
        """;

    [Fact]
    public async Task An_exposed_schema_whose_every_table_has_rls_is_no_error_and_what_it_exposes_is_judged_by_the_access_rules()
    {
        // Supabase's storage schema exposed through the API: objects and buckets have RLS on; nothing is unseen there.
        var database = await SupabaseDatabase.CreateAsync(server, []);
        await server.ExecuteAsync(database, $"ALTER ROLE authenticator IN DATABASE {database} SET pgrst.db_schemas = 'public, storage'");
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5012" && f.Subject == "schema storage");
        finding.Severity.Should().Be(Severity.Pass);
        finding.Message.Should().Contain("every table in it has RLS enabled");

        // Proved: anon reads no object there (RLS on, no policy for anon).
        var read = await ApiProof.RunAsync(server, database, "INSERT INTO storage.buckets (id, name) VALUES ('private', 'private'); INSERT INTO storage.objects (bucket_id, name) VALUES ('private', 'a.txt');", "anon", null, "SELECT count(*) FROM storage.objects");
        read.Rows.Should().Equal("0");
    }

    [Fact]
    public async Task A_schema_the_authenticator_exposes_but_the_rules_do_not_audit_is_an_error_and_its_tables_are_still_judged()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], ApiSchema);
        await server.ExecuteAsync(database, $"ALTER ROLE authenticator IN DATABASE {database} SET pgrst.db_schemas = 'public, api'");
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Snapshot.Exposed.Schemas.Should().Equal("public", "api");
        result.Snapshot.Exposed.Source.Should().Be($"pgrst.db_schemas of role authenticator in database {database}");
        var finding = result.Findings.Single(f => f.RuleId == "HD5012" && f.Subject == "schema api");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("add \"api\" to database.rls.schemas").And.Contain("api.orders has RLS disabled there");
        result.Findings.Single(f => f.RuleId == "HD5012" && f.Subject == "schema public").Severity.Should().Be(Severity.Pass);

        // anon really reads the unaudited table, which has no RLS.
        var read = await ApiProof.RunAsync(server, database, "INSERT INTO api.orders VALUES (1, 99.5);", "anon", null, "SELECT total FROM api.orders");
        read.Rows.Should().Equal("99.5");

        var audited = Audits.Rules("""{ "version": 1, "database": { "rls": { "schemas": ["public", "api"] } } }""");
        var again = await SupabaseDatabase.AuditAsync(server, database, audited);
        again.Findings.Single(f => f.RuleId == "HD5012" && f.Subject == "schema api").Severity.Should().Be(Severity.Pass);
        again.Findings.Single(f => f.Subject == "table api.orders" && f.RuleId == "HD5001").Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public async Task Without_a_setting_in_the_database_the_rules_name_the_exposed_schemas()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], ApiSchema);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Snapshot.Exposed.Schemas.Should().Equal("public", "graphql_public");
        result.Snapshot.Exposed.Source.Should().StartWith("the rules (database.exposedSchemas)");
        result.Findings.Should().NotContain(f => f.Subject == "schema api");
        result.Findings.Single(f => f.Subject == "schema graphql_public").Severity.Should().Be(Severity.Pass, "it holds nothing of its own");
    }
}
