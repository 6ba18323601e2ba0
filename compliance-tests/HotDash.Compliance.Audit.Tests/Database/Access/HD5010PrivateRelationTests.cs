using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>HD5010 on a real pg_dump (sknil-me's public."user" view over auth.users), proved by anon reading a user's metadata.</summary>
public sealed class HD5010PrivateRelationTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly string[] Extensions = ["pgsodium", "pg_graphql", "pgjwt", "supabase_vault"];

    private const string UserA = """
        INSERT INTO auth.users (id, email, raw_user_meta_data)
          VALUES ('aaaaaaaa-0000-0000-0000-00000000000a', 'a@example.com', '{"full_name": "Alice Private"}');
        """;

    [Fact]
    public async Task A_view_over_auth_users_is_an_error_and_anon_reads_what_auth_users_holds()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["sknil-me__20231029142909_remote_schema.sql"], skipExtensions: Extensions);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5010");
        finding.Severity.Should().Be(Severity.Error);
        finding.Subject.Should().Be("view public.\"user\"");
        finding.Message.Should().Contain("exposes the private relation auth.users to anon and authenticated")
            .And.Contain("lets anon and authenticated INSERT, UPDATE, DELETE rows of auth.users through it").And.Contain("with postgres's rights")
            .And.Contain("REVOKE SELECT, INSERT, UPDATE, DELETE ON public.\"user\" FROM anon, authenticated;");
        finding.Evidence.Should().Contain("reads public.user -> auth.users");

        var read = await ApiProof.RunAsync(server, database, UserA, "anon", null, "SELECT full_name FROM public.\"user\"");
        read.Rows.Should().Equal("Alice Private");

        var direct = await ApiProof.RunAsync(server, database, UserA, "anon", null, "SELECT raw_user_meta_data FROM auth.users");
        direct.Error.Should().Be("permission denied for table users", "anon cannot read auth.users itself");

        // The view is automatically updatable (its id is a plain column): anon deletes the user from auth.users itself.
        var delete = await ApiProof.RunAsync(server, database, UserA, "anon", null, "DELETE FROM public.\"user\"", "SELECT count(*)::text FROM auth.users");
        delete.Affected.Should().Be(1);
        delete.After.Should().Equal("0");
    }

    [Fact]
    public async Task A_security_invoker_view_passes_even_inside_a_view_without_it_and_anon_is_refused_both_ways()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE VIEW public.members WITH (security_invoker = true) AS SELECT id, email FROM auth.users;
            CREATE VIEW public.member_emails AS SELECT email FROM public.members;
            CREATE MATERIALIZED VIEW public.member_copy AS SELECT email FROM auth.users;
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Single(f => f.RuleId == "HD5010" && f.Subject == "view public.members").Severity.Should().Be(Severity.Pass);
        var chained = result.Findings.Single(f => f.RuleId == "HD5010" && f.Subject == "view public.member_emails");
        chained.Severity.Should().Be(Severity.Pass, "PostgreSQL checks auth.users as the querying role when the view reading it has security_invoker");
        chained.Evidence.Should().Contain("reads public.member_emails -> public.members -> auth.users");
        result.Findings.Single(f => f.RuleId == "HD5010" && f.Subject == "view public.member_copy").Severity.Should().Be(Severity.Error);

        (await ApiProof.RunAsync(server, database, UserA, "anon", null, "SELECT email FROM public.members")).Error.Should().Be("permission denied for table users");
        (await ApiProof.RunAsync(server, database, UserA, "anon", null, "SELECT email FROM public.member_emails")).Error.Should().Be("permission denied for table users");
        var copy = await ApiProof.RunAsync(server, database, UserA + "REFRESH MATERIALIZED VIEW public.member_copy;", "anon", null, "SELECT email FROM public.member_copy");
        copy.Rows.Should().Equal("a@example.com");
    }
}
