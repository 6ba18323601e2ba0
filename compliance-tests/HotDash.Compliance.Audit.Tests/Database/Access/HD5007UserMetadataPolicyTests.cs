using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>HD5007 on a real policy (Astra2.7's "Admins can update team members", decided by user_metadata), proved by a user who makes themselves admin.</summary>
public sealed class HD5007UserMetadataPolicyTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    // The project's public.users table comes from earlier migrations of it; this is the part the policy needs.
    private const string Users = """
        CREATE TABLE public.users (id uuid PRIMARY KEY, team_id uuid, role text, name text);
        ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Users can view own record" ON public.users FOR SELECT TO authenticated USING (id = auth.uid());
        """;

    private const string Mallory = "cccccccc-0000-0000-0000-00000000000c";
    private const string Victim = "aaaaaaaa-0000-0000-0000-00000000000a";
    private const string Team = "dddddddd-0000-0000-0000-00000000000d";

    [Fact]
    public async Task A_policy_that_trusts_user_metadata_is_an_error_and_any_user_who_claims_admin_rewrites_a_team_member()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["astra__20251027100003_admins_update_team_members.sql"], Users);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5007");
        finding.Severity.Should().Be(Severity.Error);
        finding.Subject.Should().Be("table public.users");
        finding.Message.Should().Contain("\"Admins can update team members\"").And.Contain("'user_metadata'").And.Contain("app_metadata");

        // Mallory is an ordinary member; she set {"role": "admin"} in her own user_metadata (supabase.auth.updateUser).
        var setup = $"INSERT INTO public.users VALUES ('{Victim}', '{Team}', 'member', 'victim'), ('{Mallory}', '{Team}', 'member', 'mallory');";
        var claims = System.Text.Json.JsonSerializer.Serialize(new { sub = Mallory, role = "authenticated", user_metadata = new { role = "admin", team_id = Team } });
        var attack = await ApiProof.RunAsync(server, database, setup, "authenticated", Mallory,
            "UPDATE public.users SET role = 'member', name = 'renamed by mallory'", $"SELECT name FROM public.users WHERE id = '{Victim}'",
            claims);

        // Without a WHERE clause the UPDATE needs no SELECT policy: every member of the team is rewritten.
        attack.Affected.Should().Be(2);
        attack.After.Should().Equal("renamed by mallory");
    }

    [Fact]
    public async Task A_policy_on_app_metadata_is_not_a_finding()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], Users + """
            CREATE POLICY admins ON public.users FOR UPDATE TO authenticated
              USING ((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);
        result.Findings.Should().NotContain(f => f.RuleId == "HD5007");
    }
}
