using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>
/// HD5007 widened to what the caller sends: a policy that decides by request.headers or request.cookies, judged
/// whether RLS is on or off. The error is proved by doing it: anon sends the header the policy expects (as any HTTP
/// client can) and reads every row; the warning's capability is shown to hold only for the right token.
/// </summary>
public sealed class HD5007CallerSetDataPolicyTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Rows = "INSERT INTO public.test_realtime_rls (id) VALUES (1), (2), (3);";

    [Fact]
    public async Task A_policy_that_decides_by_a_request_header_is_an_error_and_anon_reads_every_row_by_sending_it()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["realtime-js-issue-233__test_realtime_rls.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5007");
        finding.Severity.Should().Be(Severity.Error);
        finding.Subject.Should().Be("table public.test_realtime_rls");
        finding.Message.Should().Contain("\"capgkey header\"").And.Contain("a request header ('request.headers')").And.Contain("which the caller sets to anything")
            .And.Contain("auth.uid()");

        // Any client sends the header: the value is in every copy of the app that sets it in createClient's headers.
        var withHeader = await ApiProof.RunAsync(server, database, Rows, "anon", null, "SELECT id::text FROM public.test_realtime_rls",
            headers: """{"capgkey": "8fd6f83fd1842b0d79cc212a133c4f10"}""");
        withHeader.Rows.Should().HaveCount(3);
        var write = await ApiProof.RunAsync(server, database, Rows, "anon", null, "DELETE FROM public.test_realtime_rls",
            headers: """{"capgkey": "8fd6f83fd1842b0d79cc212a133c4f10"}""");
        write.Affected.Should().Be(3, "FOR ALL: the same header deletes every row");
        var without = await ApiProof.RunAsync(server, database, Rows, "anon", null, "SELECT id::text FROM public.test_realtime_rls");
        without.Rows.Should().BeEmpty("the policy is the only thing between anon and the rows");
    }

    [Fact]
    public async Task A_header_matched_against_a_token_table_is_a_warning_and_a_guessed_token_reads_nothing()
    {
        // The shape of a QR-code token check (the header compared inside EXISTS with a table the caller cannot write).
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.menu (id int PRIMARY KEY, merchant_id int NOT NULL, item text);
            CREATE TABLE public.qr_tokens (token text PRIMARY KEY, merchant_id int NOT NULL);
            ALTER TABLE public.menu ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.qr_tokens ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "scanned merchant" ON public.menu FOR SELECT TO anon USING (
              EXISTS (SELECT 1 FROM public.qr_tokens t
                       WHERE t.token = (current_setting('request.headers', true)::json ->> 'x-qr-token') AND t.merchant_id = menu.merchant_id));
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5007");
        finding.Severity.Should().Be(Severity.Warning);
        finding.Message.Should().Contain("matches a request header ('request.headers'").And.Contain("capability token");

        // Not an exposure the audit claims (a warning: it holds while the token is secret); a guess gets nothing.
        const string setup = "INSERT INTO public.menu VALUES (1, 7, 'tea'), (2, 8, 'coffee'); INSERT INTO public.qr_tokens VALUES ('s3cret-7', 7);";
        (await ApiProof.RunAsync(server, database, setup, "anon", null, "SELECT item FROM public.menu", headers: """{"x-qr-token": "guess"}""")).Rows.Should().BeEmpty();
    }

    [Fact]
    public async Task A_policy_that_trusts_a_cookie_or_user_metadata_is_judged_on_a_table_whose_rls_is_off()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.carts (id int PRIMARY KEY, session text);
            CREATE POLICY "cart of the session cookie" ON public.carts FOR ALL TO anon
              USING (session = current_setting('request.cookies', true)::json ->> 'sid');
            CREATE TABLE public.reports (id int PRIMARY KEY);
            CREATE POLICY "admins read reports" ON public.reports FOR SELECT TO authenticated
              USING ((auth.jwt() -> 'user_metadata' ->> 'role') = 'admin');
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var cookie = result.Findings.Single(f => f.RuleId == "HD5007" && f.Subject == "table public.carts");
        cookie.Severity.Should().Be(Severity.Error);
        cookie.Message.Should().Contain("decides by a cookie ('request.cookies')");
        cookie.Evidence.Should().Contain("RLS is DISABLED on public.carts: the policy applies as soon as it is enabled (HD5003)");
        result.Findings.Single(f => f.RuleId == "HD5007" && f.Subject == "table public.reports").Message.Should().Contain("'user_metadata'");
        result.Findings.Should().Contain(f => f.RuleId == "HD5003" && f.Subject == "table public.carts");
    }

    [Fact]
    public async Task A_policy_that_decides_by_who_the_caller_is_is_not_reported()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            CREATE TABLE public.notes (id int PRIMARY KEY, owner uuid NOT NULL DEFAULT auth.uid());
            ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY "own notes" ON public.notes FOR ALL TO authenticated USING (owner = (select auth.uid()));
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Should().NotContain(f => f.RuleId == "HD5007");
        var stranger = await ApiProof.RunAsync(server, database, "INSERT INTO public.notes VALUES (1, 'aaaaaaaa-0000-0000-0000-00000000000a');", "authenticated",
            "bbbbbbbb-0000-0000-0000-00000000000b", "SELECT id::text FROM public.notes", headers: """{"x-owner": "aaaaaaaa-0000-0000-0000-00000000000a"}""");
        stranger.Rows.Should().BeEmpty("no header makes a stranger the owner");
    }
}
