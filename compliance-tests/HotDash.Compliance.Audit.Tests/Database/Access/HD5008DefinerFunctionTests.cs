using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>
/// HD5008/HD5009 on a real project (whisper-of-hope-report: schema migration plus the vote-counting
/// functions), proved by calling the functions as anon.
/// </summary>
public sealed class HD5008DefinerFunctionTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Schema = "projects/whisper-of-hope/migrations/20250910053857_6ca21378-fbad-43f7-a199-28c9c382a1fc.sql";
    private const string Votes = "projects/whisper-of-hope/migrations/20250910054014_fbba9d78-5b3e-4b09-b54b-23a76776e765.sql";

    // A poll by user A with one option, inserted by the proof itself and rolled back with it.
    private const string PollOfUserA = """
        INSERT INTO auth.users (id, email) VALUES ('aaaaaaaa-0000-0000-0000-00000000000a', 'a@example.com');
        INSERT INTO public.polls (id, user_id, question, anonymous_id, expires_at)
          VALUES ('11111111-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-00000000000a', 'Q?', 'anon_a', now() + interval '1 day');
        INSERT INTO public.poll_options (id, poll_id, text) VALUES ('22222222-0000-0000-0000-000000000002', '11111111-0000-0000-0000-000000000001', 'yes');
        """;

    [Fact]
    public async Task A_definer_function_anon_can_call_is_an_error_and_anon_really_changes_rows_it_cannot_update()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [Schema, Votes]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5008" && f.Subject == "function public.increment_poll_option_votes(option_id uuid)");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("/rest/v1/rpc/increment_poll_option_votes").And.Contain("anon and authenticated").And.Contain("a superuser's rights")
            .And.Contain("REVOKE EXECUTE ON FUNCTION public.increment_poll_option_votes(option_id uuid) FROM PUBLIC, anon, authenticated;");
        finding.Evidence.Should().Contain("EXECUTE for API roles: anon, authenticated");

        // The proof: poll_options has no UPDATE policy, so anon's own UPDATE changes nothing...
        var direct = await ApiProof.RunAsync(server, database, PollOfUserA, "anon", null,
            "UPDATE public.poll_options SET votes = 99", "SELECT votes FROM public.poll_options");
        direct.Affected.Should().Be(0);
        direct.After.Should().Equal("0");

        // ...but through the definer function anon changes the row at will.
        var call = await ApiProof.RunAsync(server, database, PollOfUserA, "anon", null,
            "SELECT public.increment_poll_option_votes('22222222-0000-0000-0000-000000000002'); SELECT public.increment_poll_option_votes('22222222-0000-0000-0000-000000000002')",
            "SELECT votes FROM public.poll_options");
        call.Error.Should().BeNull();
        call.After.Should().Equal("2");
    }

    [Fact]
    public async Task A_definer_function_without_a_fixed_search_path_is_a_warning_and_one_with_it_is_not()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [Schema, Votes]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var mutable = result.Findings.Single(f => f.RuleId == "HD5009" && f.Subject == "function public.increment_poll_total_votes(poll_id uuid)");
        mutable.Severity.Should().Be(Severity.Warning);
        mutable.Message.Should().Contain("ALTER FUNCTION public.increment_poll_total_votes(poll_id uuid) SET search_path = '';");
        result.Findings.Should().NotContain(f => f.RuleId == "HD5009" && f.Subject == "function public.handle_new_user()",
            "handle_new_user is declared SET search_path = public");
    }

    [Fact]
    public async Task A_definer_trigger_function_is_not_a_finding_because_anon_cannot_call_it()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [Schema, Votes]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var trigger = result.Findings.Where(f => f.Subject == "function public.handle_new_user()").ToList();
        trigger.Should().ContainSingle().Which.Severity.Should().Be(Severity.Pass);
        trigger[0].Message.Should().Contain("it is a trigger function");

        // splinter's 0028 lists it (anon has EXECUTE); the call itself is refused.
        var attempt = await ApiProof.RunAsync(server, database, string.Empty, "anon", null, "SELECT public.handle_new_user()");
        attempt.Error.Should().Be("trigger functions can only be called as triggers");
    }

    [Fact]
    public async Task Revoking_execute_from_the_api_roles_makes_it_pass_and_the_call_fails()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [Schema, Votes]);
        await server.ExecuteAsync(database, "REVOKE EXECUTE ON FUNCTION public.increment_poll_option_votes(uuid) FROM PUBLIC, anon, authenticated;");
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Single(f => f.RuleId == "HD5008" && f.Subject == "function public.increment_poll_option_votes(option_id uuid)")
            .Severity.Should().Be(Severity.Pass);
        var attempt = await ApiProof.RunAsync(server, database, PollOfUserA, "anon", null,
            "SELECT public.increment_poll_option_votes('22222222-0000-0000-0000-000000000002')", "SELECT votes FROM public.poll_options");
        attempt.Error.Should().Be("permission denied for function increment_poll_option_votes");
        attempt.After.Should().Equal("0");
    }

    [Fact]
    public async Task An_exemption_with_a_reason_passes_and_a_stale_one_is_reported()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [Schema, Votes]);
        var rules = Audits.Rules("""
            { "version": 1, "database": { "functionExemptions": [
              { "function": "public.increment_poll_option_votes", "reason": "voting is public by design" },
              { "function": "public.gone", "reason": "was removed" } ] } }
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database, rules);

        var exempt = result.Findings.Single(f => f.RuleId == "HD5008" && f.Subject == "function public.increment_poll_option_votes(option_id uuid)");
        exempt.Severity.Should().Be(Severity.Pass);
        exempt.Evidence.Should().Contain("exempt: voting is public by design");
        result.Findings.Single(f => f.RuleId == "HD5005" && f.Subject == "exemption public.gone").Severity.Should().Be(Severity.Warning);
    }
}

/// <summary>
/// HD5009 proved: a caller who can create objects in some schema puts it before pg_catalog in their
/// search_path, and the definer function without a fixed search_path runs the caller's operator with
/// its owner's rights. With search_path fixed, the same attempt changes nothing.
/// </summary>
public sealed class HD5009SearchPathTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    // The attacker's schema and their "+" for integers: it records who runs it, then adds as usual.
    private const string Attacker = """
        CREATE SCHEMA scratch;
        GRANT USAGE, CREATE ON SCHEMA scratch TO authenticated;
        CREATE TABLE public.ran_as (who text);
        GRANT INSERT ON public.ran_as TO PUBLIC;
        """;

    private const string Hijack = """
        CREATE FUNCTION scratch.add(a integer, b integer) RETURNS integer LANGUAGE sql
          AS 'INSERT INTO public.ran_as VALUES (current_user); SELECT a OPERATOR(pg_catalog.+) b';
        CREATE OPERATOR scratch.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = scratch.add);
        SET LOCAL search_path = scratch, pg_catalog, public;
        """;

    [Fact]
    public async Task Without_a_fixed_search_path_the_callers_operator_runs_with_the_owners_rights()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["projects/whisper-of-hope/migrations/20250910053857_6ca21378-fbad-43f7-a199-28c9c382a1fc.sql", "projects/whisper-of-hope/migrations/20250910054014_fbba9d78-5b3e-4b09-b54b-23a76776e765.sql"], Attacker);
        var result = await SupabaseDatabase.AuditAsync(server, database);
        result.Findings.Should().Contain(f => f.RuleId == "HD5009" && f.Subject == "function public.increment_poll_total_votes(poll_id uuid)");

        var setup = """
            INSERT INTO auth.users (id, email) VALUES ('aaaaaaaa-0000-0000-0000-00000000000a', 'a@example.com');
            INSERT INTO public.polls (id, user_id, question, anonymous_id, expires_at)
              VALUES ('11111111-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-00000000000a', 'Q?', 'anon_a', now() + interval '1 day');
            """;
        var attack = await ApiProof.RunAsync(server, database, setup, "authenticated", "bbbbbbbb-0000-0000-0000-00000000000b",
            Hijack + "SELECT public.increment_poll_total_votes('11111111-0000-0000-0000-000000000001');",
            "SELECT who FROM public.ran_as");
        attack.Error.Should().BeNull();
        attack.After.Should().Equal("postgres");

        await server.ExecuteAsync(database, "ALTER FUNCTION public.increment_poll_total_votes(uuid) SET search_path = '';");
        var fixedPath = await SupabaseDatabase.AuditAsync(server, database);
        fixedPath.Findings.Should().NotContain(f => f.RuleId == "HD5009" && f.Subject == "function public.increment_poll_total_votes(poll_id uuid)");
        var again = await ApiProof.RunAsync(server, database, setup, "authenticated", "bbbbbbbb-0000-0000-0000-00000000000b",
            Hijack + "SELECT public.increment_poll_total_votes('11111111-0000-0000-0000-000000000001');",
            "SELECT who FROM public.ran_as");
        again.After.Should().BeEmpty("with search_path = '' the function's + is pg_catalog's");
    }
}
