using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>
/// HD5014 on a real project's owner-scoped policies (whisper-of-hope: rewards a user may update, groups a user may
/// join), each verdict proved by doing it as user B in a rolled-back transaction.
/// </summary>
public sealed class HD5014ProtectedColumnTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    private const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    private const string Users = $"INSERT INTO auth.users (id) VALUES ('{UserA}'), ('{UserB}');";

    [Fact]
    public async Task An_owner_scoped_update_policy_lets_a_user_set_their_own_level_streak_and_points_and_is_an_error()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["projects/whisper-of-hope/migrations/20251010000000_add_rewards_and_notifications.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5014" && f.Subject == "table public.user_rewards");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("can write protected columns points, current_level, streak_days of public.user_rewards")
            .And.Contain("UPDATE through policy \"Users can update their own rewards\"").And.Contain("REVOKE INSERT, UPDATE ON public.user_rewards")
            .And.StartWith("authenticated can write", "anon's auth.uid() is null: the policy admits no row of anon's");
        // The project's level trigger fires only WHEN points change, and only recomputes current_level: it protects nothing.
        finding.Evidence.Should().NotContain(e => e.StartsWith("trigger", System.StringComparison.Ordinal));
        finding.Evidence.Should().Contain(e => e.StartsWith("points (a value the app grants", System.StringComparison.Ordinal) && e.Contains("authenticated may UPDATE it"));

        // User B makes themselves level 5 with a year's streak (the level trigger fires only when points change). Raising
        // points past a level happens to fail, not by design: the trigger's level-up notification is refused by
        // notifications' RLS; points within a level go through.
        var row = Users + $"INSERT INTO public.user_rewards (user_id, points) VALUES ('{UserB}', 10);";
        var cheat = await ApiProof.RunAsync(server, database, row, "authenticated", UserB,
            "UPDATE public.user_rewards SET current_level = 5, streak_days = 365", $"SELECT current_level || '/' || streak_days FROM public.user_rewards WHERE user_id = '{UserB}'");
        cheat.Affected.Should().Be(1);
        cheat.After.Should().Equal("5/365");
        var points = await ApiProof.RunAsync(server, database, row, "authenticated", UserB,
            "UPDATE public.user_rewards SET points = 99", $"SELECT points::text FROM public.user_rewards WHERE user_id = '{UserB}'");
        points.After.Should().Equal("99");
    }

    [Fact]
    public async Task A_self_service_join_lets_a_user_make_themselves_admin_of_any_group()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["projects/whisper-of-hope/migrations/20250910053857_6ca21378-fbad-43f7-a199-28c9c382a1fc.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5014" && f.Subject == "table public.group_members");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("protected column is_admin").And.Contain("INSERT through policy \"Users can join groups\"");

        // User A's group; user B joins it as an admin (chat_groups.created_by is A).
        var group = "cccccccc-0000-0000-0000-00000000000c";
        var join = await ApiProof.RunAsync(server, database,
            Users + $"INSERT INTO public.chat_groups (id, name, created_by, category) VALUES ('{group}', 'a''s group', '{UserA}', 'support');",
            "authenticated", UserB, $"INSERT INTO public.group_members (group_id, user_id, is_admin) VALUES ('{group}', '{UserB}', true)",
            $"SELECT is_admin::text FROM public.group_members WHERE user_id = '{UserB}'");
        join.Error.Should().BeNull();
        join.After.Should().Equal("true");
    }

    [Fact]
    public async Task Column_privileges_a_restrictive_check_or_a_trigger_that_names_the_column_stop_or_soften_it()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.profiles (id uuid PRIMARY KEY, name text, plan text DEFAULT 'free', role text DEFAULT 'user', credits int DEFAULT 0);
            ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "own profile" ON public.profiles FOR UPDATE TO authenticated USING (id = auth.uid());
            -- plan: not writable at all (column privileges); role: a restrictive policy pins it; credits: a trigger names it.
            REVOKE UPDATE ON public.profiles FROM anon, authenticated;
            GRANT UPDATE (name, role, credits) ON public.profiles TO authenticated;
            CREATE POLICY "role stays" ON public.profiles AS RESTRICTIVE FOR UPDATE TO authenticated USING (true) WITH CHECK (role = 'user');
            CREATE FUNCTION public.keep_credits() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.credits := OLD.credits; RETURN NEW; END $$;
            CREATE TRIGGER keep_credits BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION public.keep_credits();
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5014" && f.Subject == "table public.profiles");
        finding.Severity.Should().Be(Severity.Warning, "only credits is left, and a trigger that names it may reset it");
        finding.Message.Should().Contain("protected column credits of public.profiles");
        finding.Evidence.Should().NotContain(e => e.StartsWith("plan (", System.StringComparison.Ordinal) || e.StartsWith("role (", System.StringComparison.Ordinal));
        finding.Evidence.Should().Contain("trigger keep_credits (BEFORE UPDATE) names credits: it may reset or refuse the value");

        // Each stop holds when tried: plan is refused, role is refused by the restrictive check, credits is reset.
        var row = Users + $"INSERT INTO public.profiles (id, name) VALUES ('{UserB}', 'b');";
        (await ApiProof.RunAsync(server, database, row, "authenticated", UserB, "UPDATE public.profiles SET plan = 'pro'")).Error.Should().Be("permission denied for table profiles");
        (await ApiProof.RunAsync(server, database, row, "authenticated", UserB, "UPDATE public.profiles SET role = 'admin'")).Error.Should().Be("new row violates row-level security policy \"role stays\" for table \"profiles\"");
        (await ApiProof.RunAsync(server, database, row, "authenticated", UserB, "UPDATE public.profiles SET credits = 99", $"SELECT credits::text FROM public.profiles WHERE id = '{UserB}'")).After.Should().Equal("0");
    }
}
