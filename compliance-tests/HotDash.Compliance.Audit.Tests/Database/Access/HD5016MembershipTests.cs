using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>
/// HD5016 on a live database, read-only: a membership table other policies trust, joinable by anyone signed in. Each
/// verdict is proved by doing it as user B in a rolled-back transaction (the attack simulation does the same in the
/// pull-request mode, AttackSimulationTests).
/// </summary>
public sealed class HD5016MembershipTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    private const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    private const string Org = "0a000000-0000-4000-8000-00000000000a";
    private const string Member = "0a000000-0000-4000-8000-0000000000aa";

    private static readonly string[] Zapi = ["zapi__20250406155942_lively_waterfall.sql", "zapi__20250406160001_rustic_trail.sql", "zapi__20250411191129_soft_meadow.sql"];

    [Fact]
    public async Task A_membership_table_api_keys_trust_and_anyone_may_insert_into_is_an_error_and_user_b_reads_the_key_after_joining()
    {
        var database = await SupabaseDatabase.CreateAsync(server, Zapi);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5016");
        finding.Severity.Should().Be(Severity.Error);
        finding.About.Should().Be(Subject.Table("public.organization_members"));
        finding.Policy.Should().Be("Users can insert their own organization memberships");
        finding.Message.Should().Contain("insert into public.organization_members any row whose user_id is the caller").And.Contain("the policies of public.api_keys decide by public.organization_members");
        result.AccessSummary.Should().Contain("1 membership table any signed-in user can join on their own (HD5016)");

        // Proved: B reads none of A's organization's keys, joins it, and reads them.
        var rows = $"INSERT INTO auth.users (id) VALUES ('{UserA}'), ('{UserB}'); INSERT INTO public.organizations (id, subdomain, name) VALUES ('{Org}', 'a', 'A'); " +
                   $"INSERT INTO public.organization_members (id, organization_id, user_id, role) VALUES ('{Member}', '{Org}', '{UserA}', 'admin'); " +
                   $"INSERT INTO public.api_keys (organization_id, created_by, name, key, access_type) VALUES ('{Org}', '{Member}', 'live', 'sk_live_SECRET', 'read')";
        var before = await ApiProof.RunAsync(server, database, rows, "authenticated", UserB, "SELECT count(*) FROM public.api_keys");
        before.Rows.Should().Equal("0");
        var after = await ApiProof.RunAsync(server, database, rows, "authenticated", UserB,
            $"INSERT INTO public.organization_members (organization_id, user_id) VALUES ('{Org}', '{UserB}'); SELECT count(*) FROM public.api_keys");
        after.Error.Should().BeNull();
        after.Rows.Should().Equal("1");
    }

    [Fact]
    public async Task Members_added_only_by_owners_and_admins_are_no_finding()
    {
        // Graphyx-AI/NossoFuturo-Saas: the only policy on workspace_members is FOR ALL USING (get_workspace_role(...) IN ('owner', 'admin')).
        var database = await SupabaseDatabase.CreateAsync(server, ["NossoFuturo-Saas__setup-database.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Should().NotContain(f => f.RuleId == "HD5016");
    }
}
