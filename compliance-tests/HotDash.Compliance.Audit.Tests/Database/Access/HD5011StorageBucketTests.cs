using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Database.Access;

/// <summary>HD5011 on a real storage setup (quota-platform's avatars bucket), proved by anon listing every file.</summary>
public sealed class HD5011StorageBucketTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string TwoFiles = """
        INSERT INTO storage.objects (bucket_id, name) VALUES
          ('avatars', 'aaaaaaaa-0000-0000-0000-00000000000a/me.png'), ('avatars', 'bbbbbbbb-0000-0000-0000-00000000000b/holiday.png');
        """;

    [Fact]
    public async Task A_public_bucket_whose_select_policy_only_names_the_bucket_is_an_error_and_anon_lists_every_file()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"]);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var finding = result.Findings.Single(f => f.RuleId == "HD5011" && f.Subject == "bucket avatars");
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("Public bucket 'avatars'").And.Contain("\"Avatar images are publicly accessible\"").And.Contain("anon and authenticated")
            .And.Contain("DROP POLICY \"Avatar images are publicly accessible\" ON storage.objects;");

        var list = await ApiProof.RunAsync(server, database, TwoFiles, "anon", null, "SELECT name FROM storage.objects WHERE bucket_id = 'avatars' ORDER BY name");
        list.Rows.Should().HaveCount(2);

        // The upload policy ties the folder to auth.uid(): not always true, and user B cannot write into A's folder.
        result.Findings.Should().NotContain(f => f.Message.Contains("\"Users can upload their own avatar\""));
        var upload = await ApiProof.RunAsync(server, database, string.Empty, "authenticated", "bbbbbbbb-0000-0000-0000-00000000000b",
            "INSERT INTO storage.objects (bucket_id, name) VALUES ('avatars', 'aaaaaaaa-0000-0000-0000-00000000000a/evil.png')");
        upload.Error.Should().Be("new row violates row-level security policy for table \"objects\"");
    }

    [Fact]
    public async Task A_policy_limited_to_the_callers_folder_passes_and_anon_lists_nothing()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            INSERT INTO storage.buckets (id, name, public) VALUES ('avatars', 'avatars', true);
            CREATE POLICY "own folder" ON storage.objects FOR SELECT TO authenticated
              USING (bucket_id = 'avatars' AND (storage.foldername(name))[1] = (select auth.uid())::text);
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        result.Findings.Single(f => f.RuleId == "HD5011" && f.Subject == "bucket avatars").Severity.Should().Be(Severity.Pass);
        var list = await ApiProof.RunAsync(server, database, TwoFiles, "anon", null, "SELECT name FROM storage.objects");
        list.Rows.Should().BeEmpty();
        var own = await ApiProof.RunAsync(server, database, TwoFiles, "authenticated", "aaaaaaaa-0000-0000-0000-00000000000a", "SELECT name FROM storage.objects");
        own.Rows.Should().Equal("aaaaaaaa-0000-0000-0000-00000000000a/me.png");
    }

    /// <summary>
    /// A private bucket whose SELECT policy admits every object to anon is an error: anon downloads every file (proved),
    /// while the same policy for authenticated only stays a warning (every signed-in user, maybe on purpose).
    /// </summary>
    [Fact]
    public async Task A_private_bucket_that_anon_reads_in_full_is_an_error_and_one_every_user_reads_is_a_warning()
    {
        var database = await SupabaseDatabase.CreateAsync(server, [], """
            INSERT INTO storage.buckets (id, name, public) VALUES ('invoices', 'invoices', false), ('team', 'team', false);
            CREATE POLICY "read invoices" ON storage.objects FOR SELECT USING (bucket_id = 'invoices');
            CREATE POLICY "team files" ON storage.objects FOR SELECT TO authenticated USING (bucket_id = 'team');
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database);

        var invoices = result.Findings.Single(f => f.RuleId == "HD5011" && f.Subject == "bucket invoices");
        invoices.Severity.Should().Be(Severity.Error);
        invoices.Message.Should().Contain("Private bucket 'invoices'").And.Contain("admit every object of the bucket to anon").And.Contain("private in name only");
        result.Findings.Single(f => f.RuleId == "HD5011" && f.Subject == "bucket team").Severity.Should().Be(Severity.Warning);

        var download = await ApiProof.RunAsync(server, database, "INSERT INTO storage.objects (bucket_id, name) VALUES ('invoices', 'acme/2026-11.pdf'), ('team', 'plan.md');",
            "anon", null, "SELECT name FROM storage.objects ORDER BY name");
        download.Rows.Should().Equal("acme/2026-11.pdf");
    }

    [Fact]
    public async Task Without_the_right_to_read_storage_buckets_the_buckets_are_not_judged_and_the_audit_says_how_to_grant_it()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"], """
            CREATE ROLE bucket_blind_auditor LOGIN PASSWORD 'audit-pw';
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database, user: "bucket_blind_auditor", password: "audit-pw");

        result.Findings.Should().NotContain(f => f.RuleId == "HD5011", "nothing is judged from buckets the audit cannot read, so nothing passes either");
        var notJudged = result.NotAudited.Should().ContainSingle().Which;
        notJudged.Requested.Should().BeTrue("the database was asked for: buckets it could not read fail the run");
        notJudged.Reason.Should().Contain("may not read storage.buckets").And.Contain("GRANT SELECT ON storage.buckets TO bucket_blind_auditor;")
            .And.Contain("CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO bucket_blind_auditor USING (true);", "RLS is on there: the grant alone would show it no bucket");
        result.AccessSummary.Should().Contain("storage buckets not judged").And.NotContain("no listable bucket");
    }

    /// <summary>
    /// Supabase turns RLS on for storage.buckets. An audit role granted SELECT but admitted by no policy reads no
    /// bucket at all: the audit used to judge those zero rows and pass ("no storage buckets") on a database whose
    /// public bucket anon lists in full. Proved here by doing it: the role sees 0 of the bucket rows, anon lists every file.
    /// </summary>
    [Fact]
    public async Task Rls_that_hides_the_buckets_from_the_audit_role_is_not_judged_from_what_it_sees()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"], BucketReader("rls_blind_auditor"));
        (await server.ScalarAsync<long>(database, "SELECT count(*) FROM storage.buckets")).Should().Be(1);
        (await CountAsAsync(database, "rls_blind_auditor", "SELECT count(*) FROM storage.buckets")).Should().Be(0, "RLS hides every bucket from it");
        (await ApiProof.RunAsync(server, database, TwoFiles, "anon", null, "SELECT name FROM storage.objects WHERE bucket_id = 'avatars'")).Rows.Should().HaveCount(2);

        var result = await SupabaseDatabase.AuditAsync(server, database, user: "rls_blind_auditor", password: "audit-pw");

        result.Findings.Should().NotContain(f => f.RuleId == "HD5011");
        var notJudged = result.NotAudited.Should().ContainSingle().Which;
        notJudged.Requested.Should().BeTrue();
        notJudged.Reason.Should().Contain("row-level security on storage.buckets hides its rows from the audit role rls_blind_auditor")
            .And.Contain("CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO rls_blind_auditor USING (true);");
        result.AccessSummary.Should().Contain("storage buckets not judged");
    }

    [Fact]
    public async Task With_the_documented_policy_the_audit_role_judges_every_bucket()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"], BucketReader("seeing_auditor") + """
            CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO seeing_auditor USING (true);
            """);
        (await CountAsAsync(database, "seeing_auditor", "SELECT count(*) FROM storage.buckets")).Should().Be(1);

        var result = await SupabaseDatabase.AuditAsync(server, database, user: "seeing_auditor", password: "audit-pw");

        result.NotAudited.Should().BeEmpty();
        result.Findings.Single(f => f.RuleId == "HD5011" && f.Subject == "bucket avatars").Severity.Should().Be(Severity.Error);
    }

    [Fact]
    public async Task A_policy_that_shows_the_audit_role_only_some_buckets_is_not_taken_for_all_of_them()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"], BucketReader("partial_auditor") + """
            CREATE POLICY "only private buckets" ON storage.buckets FOR SELECT TO partial_auditor USING (NOT public);
            """);
        (await CountAsAsync(database, "partial_auditor", "SELECT count(*) FROM storage.buckets")).Should().Be(0, "the public bucket is hidden from it");

        var result = await SupabaseDatabase.AuditAsync(server, database, user: "partial_auditor", password: "audit-pw");

        result.Findings.Should().NotContain(f => f.RuleId == "HD5011");
        result.NotAudited.Should().ContainSingle().Which.Reason.Should().Contain("hides its rows from the audit role partial_auditor");
    }

    /// <summary>An audit role granted what it needs to read storage.buckets, as audit-role.sql grants it, without the policy.</summary>
    private static string BucketReader(string role) => $"""
        CREATE ROLE {role} LOGIN PASSWORD 'audit-pw';
        GRANT USAGE ON SCHEMA storage TO {role};
        GRANT SELECT ON storage.buckets TO {role};

        """;

        private async Task<long> CountAsAsync(string database, string user, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(HotDash.Compliance.Audit.Database.DatabaseTarget.Parse(server.Url(database, user, "audit-pw")).Builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
