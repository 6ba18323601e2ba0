using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Scan;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Scan;

/// <summary>
/// The repository scan on a real git work tree made in the test: the files no analyzer sees, with the built-in rules.
/// Every credential is made up with the real shape (FakeCredentials); none opens anything.
/// </summary>
public sealed class RepositoryScanTests
{
    private static string Repo(params (string Path, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("hotdash-scan-").FullName;
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), text);
        }

        foreach (var command in new[] { "init -q", "add -A" })
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", command) { WorkingDirectory = root, UseShellExecute = false })!;
            git.WaitForExit();
        }

        return root;
    }

    [Fact]
    public void A_service_role_key_in_an_env_file_and_a_deprecated_token_read_in_typescript_are_found_where_they_are_and_the_anon_key_is_not()
    {
        var service = FakeCredentials.SupabaseKey("service_role");
        var anon = FakeCredentials.SupabaseKey("anon");
        var root = Repo(
            (".env.local", $"NEXT_PUBLIC_SUPABASE_ANON_KEY={anon}\nSUPABASE_SERVICE_ROLE_KEY={service}\n"),
            ("app/routes/health-check.server.ts", "export async function loader() {\n  const token = process.env.SHOPIFY_ADMIN_TOKEN;\n  return json({ ok: !!token });\n}\n"),
            (".github/workflows/deploy.yml", "env:\n  FLY_API_TOKEN: ${{ secrets.FLY_API_TOKEN }}\n  SHOPIFY: ${{ secrets.SHOPIFY_ADMIN_TOKEN }}\n"),
            ("src/Program.cs", "var t = \"shpat_0123456789abcdef0123456789abcdef\";"));
        File.WriteAllText(Path.Combine(root, "untracked.env"), $"KEY={service}\n");

        var scan = RepositoryScan.Scan(root, Audits.Defaults)!;

        var secret = scan.Findings.Single(f => f.RuleId == "HD1002");
        secret.Location.Should().Be(".env.local:2:27");
        secret.About.Should().Be(Subject.File(".env.local"));
        secret.Message.Should().Contain("'eyJh…' (pattern 'supabase-service-key'): role service_role: it bypasses every RLS policy").And.NotContain(service[10..40]);
        var reads = scan.Findings.Where(f => f.RuleId == "HD1001").OrderBy(f => f.Location, System.StringComparer.Ordinal).ToList();
        reads.Select(f => f.Location).Should().Equal(".github/workflows/deploy.yml:3:12", "app/routes/health-check.server.ts:2:17");
        reads[1].Message.Should().Contain("reads the deprecated configuration key SHOPIFY_ADMIN_TOKEN ('process.env.SHOPIFY_ADMIN_TOKEN')");
        scan.Files.Should().Be(3, "C# is the analyzers', the untracked file is not the repository's");
        scan.Source.Should().Be("git ls-files");
        scan.Summary.Should().Be("Repository: 3 tracked text file(s) scanned (git ls-files); 1 secret(s), 2 deprecated key read(s)");
    }

    [Fact]
    public void Placeholders_publishable_keys_hashes_and_binary_files_are_silent()
    {
        var root = Repo(
            (".env.example", "SUPABASE_SERVICE_ROLE_KEY=<your-service-role-key>\nOPENAI_API_KEY=sk-...\nSUPABASE_KEY=sb_publishable_AbCdEfGhIjKlMnOpQrStUvWxYz0123\n"),
            ("docs/setup.md", "Set `SUPABASE_ACCESS_TOKEN` to your `sbp_xxxxxxxx...` token. Commit 0123456789abcdef0123456789abcdef01234567.\n"),
            ("local.ts", $"const demo = '{FakeCredentials.SupabaseKey("service_role", "supabase-demo")}'; // supabase start's published demo key\n"),
            ("data.bin", "PK\0\0 sbp_0123456789abcdef0123456789abcdef01234567"));

        RepositoryScan.Scan(root, Audits.Defaults)!.Findings.Should().BeEmpty();
    }

    [Fact]
    public void A_root_that_is_no_git_work_tree_is_not_scanned_and_says_so()
    {
        var root = Directory.CreateTempSubdirectory("hotdash-scan-plain-").FullName;
        File.WriteAllText(Path.Combine(root, ".env"), $"KEY={FakeCredentials.SupabaseKey("service_role")}\n");

        RepositoryScan.Scan(root, Audits.Defaults).Should().BeNull();
    }
}
