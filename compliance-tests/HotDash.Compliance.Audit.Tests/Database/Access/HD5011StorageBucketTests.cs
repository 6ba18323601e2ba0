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

    [Fact]
    public async Task Without_the_right_to_read_storage_buckets_the_audit_says_so_instead_of_guessing()
    {
        var database = await SupabaseDatabase.CreateAsync(server, ["quota-platform__storage_avatars.sql"], """
            CREATE ROLE bucket_blind_auditor LOGIN PASSWORD 'audit-pw';
            """);
        var result = await SupabaseDatabase.AuditAsync(server, database, user: "bucket_blind_auditor", password: "audit-pw");
        var note = result.Findings.Single(f => f.RuleId == "HD5011");
        note.Severity.Should().Be(Severity.Info);
        note.Message.Should().Contain("GRANT SELECT ON storage.buckets");
    }
}
