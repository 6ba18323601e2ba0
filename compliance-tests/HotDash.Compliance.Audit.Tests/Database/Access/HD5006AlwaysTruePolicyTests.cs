using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>HD5006 on real projects' policies, each verdict proved by doing it as the API role.</summary>
public sealed class HD5006AlwaysTruePolicyTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    private const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";

    // Compass's votes.sql references a users table from an earlier migration of that project; this is ours.
    private const string CompassUsers = "CREATE TABLE public.users (id text PRIMARY KEY);";

    private static readonly string[] SknilExtensions = ["pgsodium", "pg_graphql", "pgjwt", "supabase_vault"];

    [Fact]
    public async Task For_all_using_true_lets_user_b_change_user_a_s_row_and_is_an_error()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["compass__votes.sql"], CompassUsers);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.votes");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("Policy \"public read\" on public.votes is always true (USING (true); WITH CHECK falls back to USING)")
            .And.Contain("authenticated update every row").And.Contain("anon delete every row").And.Contain("anon read every row");

        var setup = $"""
            INSERT INTO public.users VALUES ('{UserA}'), ('{UserB}');
            INSERT INTO public.votes (creator_id, title, is_anonymous) VALUES ('{UserA}', 'A''s vote', false);
            """;
        var attack = await ApiProof.RunAsync(server, database, setup, "authenticated", UserB,
            $"UPDATE public.votes SET title = 'rewritten by B' WHERE creator_id = '{UserA}'", "SELECT title FROM public.votes");
        attack.Affected.Should().Be(1, "user B changed user A's row");
        attack.After.Should().Equal("rewritten by B");
    }

    [Fact]
    public async Task A_policy_tied_to_the_caller_is_not_a_finding_and_user_b_changes_nothing()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["projects/whisper-of-hope/migrations/20250910053857_6ca21378-fbad-43f7-a199-28c9c382a1fc.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Where(f => f.Subject == "table public.friends" && f.Concern == "policies")
            .Should().ContainSingle().Which.Severity.Should().Be(Severity.Pass);

        // The project's own trigger (handle_new_user) creates each profile from the new auth.users row.
        var setup = $$"""
            INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
              ('{{UserA}}', 'a@example.com', '{"username": "alice"}'), ('{{UserB}}', 'b@example.com', '{"username": "bob"}');
            """;
        var attack = await ApiProof.RunAsync(server, database, setup, "authenticated", UserB,
            $"UPDATE public.profiles SET username = 'taken over' WHERE user_id = '{UserA}'", $"SELECT username FROM public.profiles WHERE user_id = '{UserA}'");
        attack.Affected.Should().Be(0, "\"Users can update their own profile\" compares auth.uid() with user_id");
        attack.After.Should().Equal("alice");
    }

    [Fact]
    public async Task Select_true_for_anon_is_an_error_unless_the_rules_declare_the_table_public()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["projects/whisper-of-hope/migrations/20250910053857_6ca21378-fbad-43f7-a199-28c9c382a1fc.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);
        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.reports");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("anon read every row");

        var setup = $"""
            INSERT INTO auth.users (id, email) VALUES ('{UserA}', 'a@example.com');
            INSERT INTO public.reports (user_id, title, content, anonymous_id) VALUES ('{UserA}', 'private report', 'text', 'anon_a');
            """;
        var read = await ApiProof.RunAsync(server, database, setup, "anon", null, "SELECT title FROM public.reports");
        read.Rows.Should().Equal("private report");

        var declared = Audits.Rules("""
            { "version": 1, "database": { "rls": { "schemas": ["public"], "publicRead": [
              { "table": "public.reports", "reason": "reports are published anonymously on purpose" } ] } } }
            """);
        var again = await SupabaseDatabase.AuditAsync(server, database, declared);
        again.Findings.Where(f => f.Subject == "table public.reports" && f.Concern == "policies").Should().OnlyContain(f => f.Severity == Severity.Pass);
    }

    [Fact]
    public async Task Insert_with_check_true_lets_anon_insert_and_a_no_using_update_policy_admits_no_row()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["sknil-me__20231029142909_remote_schema.sql"], skipExtensions: SknilExtensions);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Message.Contains("\"all can create links stats log\""));
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("anon insert any row");

        // "no one can update links stats log" is FOR UPDATE WITH CHECK (false) and no USING: splinter's
        // 0024 calls a permissive policy without USING "allow all"; PostgreSQL admits no row through it.
        result.Findings.Should().NotContain(f => f.Message.Contains("\"no one can update links stats log\""));

        var setup = """
            INSERT INTO auth.users (id, email) VALUES ('aaaaaaaa-0000-0000-0000-00000000000a', 'a@example.com');
            INSERT INTO public.link (id, user_id, name, url) VALUES ('33333333-0000-0000-0000-000000000003', 'aaaaaaaa-0000-0000-0000-00000000000a', 'home', 'https://example.com');
            INSERT INTO public.links_stats_log (link_id, action) VALUES ('33333333-0000-0000-0000-000000000003', 'click');
            """;
        var insert = await ApiProof.RunAsync(server, database, setup, "anon", null,
            "INSERT INTO public.links_stats_log (link_id, action) VALUES ('33333333-0000-0000-0000-000000000003', 'forged')",
            "SELECT action FROM public.links_stats_log ORDER BY action");
        insert.Error.Should().BeNull();
        insert.After.Should().Equal("click", "forged");

        var update = await ApiProof.RunAsync(server, database, setup, "anon", null,
            "UPDATE public.links_stats_log SET action = 'rewritten'", "SELECT action FROM public.links_stats_log");
        update.Affected.Should().Be(0);
        update.After.Should().Equal("click");
    }

    [Fact]
    public async Task Auth_role_authenticated_is_always_true_for_every_signed_in_user()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.notes (id int PRIMARY KEY, owner uuid, body text);
            ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "Enable update for authenticated users only" ON public.notes FOR UPDATE USING (auth.role() = 'authenticated');
            CREATE POLICY "restricted" ON public.notes AS RESTRICTIVE FOR DELETE USING (owner = auth.uid());
            CREATE POLICY "delete" ON public.notes FOR DELETE TO authenticated USING (auth.uid() IS NOT NULL);
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Message.Contains("\"Enable update for authenticated users only\""));
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("authenticated update every row").And.NotContain("anon update ");
        var delete = result.Findings.Where(f => f.Message.Contains("Policy \"delete\""));
        delete.Should().BeEmpty("the restrictive policy narrows it to the owner's rows");

        var setup = $"INSERT INTO public.notes VALUES (1, '{UserA}', 'A''s note');";
        var attack = await ApiProof.RunAsync(server, database, setup, "authenticated", UserB, "UPDATE public.notes SET body = 'B was here'", "SELECT body FROM public.notes");
        attack.After.Should().Equal("B was here");
        var deleted = await ApiProof.RunAsync(server, database, setup, "authenticated", UserB, "DELETE FROM public.notes", "SELECT body FROM public.notes");
        deleted.Affected.Should().Be(0);
    }

    [Fact]
    public async Task Without_a_grant_an_always_true_policy_is_a_latent_warning_and_the_write_is_refused()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.settings (id int PRIMARY KEY, value text);
            ALTER TABLE public.settings ENABLE ROW LEVEL SECURITY;
            CREATE POLICY anyone ON public.settings FOR UPDATE USING (1 = 1);
            REVOKE ALL ON public.settings FROM anon, authenticated;
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.settings");
        finding.Severity.Should().Be(Severity.Warning);
        finding.Message.Should().Contain("latent: one GRANT away");
        var attempt = await ApiProof.RunAsync(server, database, "INSERT INTO public.settings VALUES (1, 'x');", "anon", null, "UPDATE public.settings SET value = 'y'");
        attempt.Error.Should().Be("permission denied for table settings");
    }

    /// <summary>
    /// splinter's own case (0024, "UPDATE with WITH CHECK (true) SHOULD be flagged"): USING ties the rows to the
    /// caller, WITH CHECK (true) lets the new row be anything. Proved: user B hands B's own post to user A (an UPDATE
    /// without WHERE needs no SELECT policy: it reaches the rows USING admits).
    /// </summary>
    [Fact]
    public async Task Update_with_check_true_lets_a_user_hand_their_row_to_another_and_is_an_error()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["splinter__0024_update_with_check_true.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5006" && f.Subject == "table public.posts");
        finding.Severity.Should().Be(Severity.Error);
        finding.Policy.Should().Be("update_with_check_true");
        finding.Message.Should().Contain("lets authenticated update their rows (USING (user_id = auth.uid())) to any values")
            .And.Contain("hand their row to another user").And.Contain("WITH CHECK ((select auth.uid()) = <owner column>)");

        var handOver = await ApiProof.RunAsync(server, database, $"INSERT INTO public.posts VALUES (1, '{UserB}', 'b''s post');", "authenticated", UserB,
            $"UPDATE public.posts SET user_id = '{UserA}'", "SELECT user_id::text FROM public.posts WHERE id = 1");
        handOver.Affected.Should().Be(1);
        handOver.After.Should().Equal(UserA);
    }

    [Fact]
    public async Task Update_whose_with_check_repeats_using_is_not_reported_and_the_hand_over_is_refused()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            create table public.posts(id int primary key, user_id uuid, title text);
            alter table public.posts enable row level security;
            create policy "update own" on public.posts for update to authenticated
              using (user_id = auth.uid()) with check (user_id = auth.uid());
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Should().NotContain(f => f.RuleId == "HD5006" && f.Severity != Severity.Pass);
        var handOver = await ApiProof.RunAsync(server, database, $"INSERT INTO public.posts VALUES (1, '{UserB}', 'b''s post');", "authenticated", UserB,
            $"UPDATE public.posts SET user_id = '{UserA}'");
        handOver.Error.Should().Be("new row violates row-level security policy for table \"posts\"");
    }

    [Fact]
    public async Task Update_with_check_true_and_no_using_reaches_no_row_and_is_not_reported()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            create table public.posts(id int primary key, user_id uuid, title text);
            alter table public.posts enable row level security;
            create policy "check only" on public.posts for update to authenticated with check (true);
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Should().NotContain(f => f.RuleId == "HD5006" && f.Severity != Severity.Pass);
        var update = await ApiProof.RunAsync(server, database, $"INSERT INTO public.posts VALUES (1, '{UserB}', 'b''s post');", "authenticated", UserB,
            $"UPDATE public.posts SET user_id = '{UserA}'");
        update.Affected.Should().Be(0, "a permissive UPDATE policy without USING admits no row");
    }
}
