using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using HotDash.Compliance.Audit.Settings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Adoption;

/// <summary>
/// Adoption as a user does it: pack the engine, the suite and the template; `dotnet new install` the template into
/// a hive of its own; in a new git repository of the adopter's, `dotnet new hotdash-compliance -o tests/Compliance`;
/// restore from the packed feed; `dotnet test` the new project against a throwaway PostgreSQL and the sample's
/// fly.toml and compare its report with this repository's suite; and run the copy-and-go workflows' own commands there.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(RepositoryBuilds.Name)]
public sealed class TemplateTests(TemplateTests.CreatedProject created) : IClassFixture<TemplateTests.CreatedProject>
{
    [Fact]
    public void The_packages_carry_complete_metadata_and_one_version()
    {
        foreach (var id in new[] { "HotDash.Compliance.Audit", "HotDash.Compliance.Suite", "HotDash.Compliance.Templates" })
        {
            var nuspec = created.Nuspec(id);
            string Value(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;
            Value("id").Should().Be(id);
            Value("version").Should().Be(created.Version);
            Value("description").Should().NotBeNullOrWhiteSpace();
            Value("authors").Should().NotBeNullOrWhiteSpace();
            Value("license").Should().Be("Apache-2.0");
            Value("readme").Should().Be("PACKAGE.md");
            nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value.Should().StartWith("https://github.com/");
        }

        using (var zip = ZipFile.OpenRead(Path.Combine(created.Feed, $"HotDash.Compliance.Audit.{created.Version}.nupkg")))
        {
            using (var schema = new StreamReader(zip.GetEntry("schema/hotdash.rules.schema.json")!.Open()))
            {
                schema.ReadToEnd().Should().Be(Repository.Read("rules", "canonical-stack.schema.json"));
            }

            // The core ships inside the engine package (it is internal to both halves), not as a package of its own.
            zip.Entries.Select(e => e.FullName).Where(e => e.EndsWith(".dll", StringComparison.Ordinal)).Should().BeEquivalentTo(
                "lib/net10.0/HotDash.Compliance.Audit.dll", "lib/net10.0/HotDash.Compliance.Core.dll");
        }

        // Debuggable and documented: each assembly embeds its PDB (with Source Link where the origin is GitHub), the
        // public packages carry their XML docs, and the nuspec names the commit.
        foreach (var (id, assemblies) in new[] { ("HotDash.Compliance.Audit", new[] { "HotDash.Compliance.Audit", "HotDash.Compliance.Core" }), ("HotDash.Compliance.Suite", new[] { "HotDash.Compliance.Suite" }) })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(created.Feed, $"{id}.{created.Version}.nupkg"));
            zip.GetEntry($"lib/net10.0/{id}.xml").Should().NotBeNull($"{id} ships its XML docs");
            foreach (var assembly in assemblies)
            {
                using var stream = new MemoryStream();
                using (var entry = zip.GetEntry($"lib/net10.0/{assembly}.dll")!.Open())
                {
                    entry.CopyTo(stream);
                }

                stream.Position = 0;
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                pe.ReadDebugDirectory().Should().Contain(d => d.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb, $"{assembly} embeds its PDB");
            }

            created.Nuspec(id).Descendants().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value.Should().MatchRegex("^[0-9a-f]{40}$");
        }

        created.Nuspec("HotDash.Compliance.Audit").Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => e.Attribute("id")!.Value).Should().NotContain(id => id.StartsWith("HotDash.", StringComparison.Ordinal));

        var dependencies = created.Nuspec("HotDash.Compliance.Suite").Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
        dependencies.Should().Contain("HotDash.Compliance.Audit", created.Version, "the suite and its engine are versioned together");
        dependencies.Should().ContainKey("xunit.v3.extensibility.core");
        created.Nuspec("HotDash.Compliance.Templates").Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value.Should().Be("Template");
    }

    [Fact]
    public void The_template_creates_a_suite_project_and_no_rules_file_to_shadow_the_repositorys()
    {
        Directory.GetFiles(created.Directory).Select(Path.GetFileName).Should().Contain(["Acme.Compliance.csproj", "ComplianceChecks.cs", "README.md"])
            .And.NotContain("hotdash.rules.json", "a rules file in the project would win over the one at the repository root, which the analyzers read");
        var project = File.ReadAllText(Path.Combine(created.Directory, "Acme.Compliance.csproj"));
        project.Should().Contain($"<PackageReference Include=\"HotDash.Compliance.Suite\" Version=\"{created.Version}\" />").And.NotContain("$(");
        File.ReadAllText(Path.Combine(created.Directory, "ComplianceChecks.cs")).Should().Contain("namespace Acme.Compliance;");
    }

    [Fact]
    public void The_created_project_reports_the_same_findings_as_this_repositorys_suite()
    {
        var ours = Directory.CreateTempSubdirectory("hotdash-ours-").FullName;
        var theirs = Directory.CreateTempSubdirectory("hotdash-theirs-").FullName;
        var repository = ProcessRunner.Run("bash", Repository.Root, TimeSpan.FromMinutes(8), Clean(new() { ["HOTDASH_REPORT_DIR"] = ours }), Repository.PathOf("samples", "run-audit.sh"));
        repository.ExitCode.Should().NotBe(0, "the sample fails on purpose");

        // The same targets as samples/run-audit.sh gives this repository's suite.
        var run = ProcessRunner.Run("dotnet", created.Directory, TimeSpan.FromMinutes(8), Clean(new()
        {
            ["HOTDASH_MIGRATIONS"] = Repository.PathOf("samples", "supabase", "migrations"),
            ["HOTDASH_RULES"] = Repository.PathOf("samples", "hotdash.rules.json"),
            ["HOTDASH_REPO_ROOT"] = Repository.PathOf("samples"),
            ["HOTDASH_FLY_MACHINES"] = "hotdash-chatwoot=" + Repository.PathOf("samples", "fly", "chatwoot", "machines.json"),
            ["HOTDASH_REPORT_DIR"] = theirs,
        }), "test", "--logger", "console;verbosity=normal");

        run.ExitCode.Should().NotBe(0, run.Output);
        run.Output.Should().Contain("Failed Acme.Compliance.Database.Table_has_row_level_security(table: \"public.inventory_alerts\")");
        run.Output.Should().Contain("Failed Acme.Compliance.Summary.Audit_passes").And.Contain("HotDash compliance audit FAILED: 9 failing findings on 5 subjects");
        Regex.Matches(run.Output, "ERROR HD5001 table public.inventory_alerts").Count.Should().Be(1, "each failing finding is printed once, in its test's failure: " + run.Output);
        Findings(theirs).Should().BeEquivalentTo(Findings(ours)).And.HaveCountGreaterThan(30);
    }

    [Fact]
    public void Without_HOTDASH_RULES_the_created_project_uses_the_repositorys_rules_file_and_an_adopter_with_no_app_of_hotdashs_passes()
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-own-rules-").FullName;
        var run = ProcessRunner.Run("dotnet", created.Directory, TimeSpan.FromMinutes(8), Clean(new() { ["HOTDASH_REPORT_DIR"] = reports }), "test");
        run.ExitCode.Should().Be(0, "the defaults bring in no app of HotDash's own, so nothing is missing: " + run.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "compliance-report.json")));
        report.RootElement.GetProperty("rules").GetProperty("file").GetString().Should().Be("hotdash.rules.json", "the root's file, named from the root");
        report.RootElement.GetProperty("verdict").GetString().Should().StartWith("passed (").And.Contain("not configured");
        report.RootElement.GetProperty("findings").EnumerateArray().Should().NotContain(f => f.GetProperty("rule").GetString() == "HD7003");
        using var effective = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "effective-rules.json")));
        effective.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!.Split(' ')[0]).Should().Equal("hotdash.rules.json", "hotdash:canonical");
    }

    [Fact]
    public async Task A_database_that_never_answers_fails_the_run_and_the_report_and_is_tried_once_per_run()
    {
        // A listener that accepts and never speaks PostgreSQL: each audit run is one connection attempt, so the count
        // says how many times `dotnet test` ran the audit (listing the tests must not run it).
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var attempts = 0;
        var accepted = new List<System.Net.Sockets.TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken));
                    Interlocked.Increment(ref attempts);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // Stopped.
            }
        }, TestContext.Current.CancellationToken);
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var reports = Directory.CreateTempSubdirectory("hotdash-unreachable-").FullName;
        var run = ProcessRunner.Run("dotnet", created.Directory, TimeSpan.FromMinutes(8), Clean(new()
        {
            ["HOTDASH_REPORT_DIR"] = reports,
            ["HOTDASH_DATABASE_URL"] = $"postgres://auditor:N0t-the-Pa55word@127.0.0.1:{port}/postgres",
            ["HOTDASH_CONNECT_TIMEOUT_SECONDS"] = "2",
        }), "test", "--logger", "console;verbosity=normal");
        listener.Stop();
        await accepting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        accepted.ForEach(c => c.Dispose());

        run.ExitCode.Should().NotBe(0, run.Output);
        run.Output.Should().Contain("Failed Acme.Compliance.Database.Database_was_audited").And.Contain("database requested but not audited")
            .And.NotContain("N0t-the-Pa55word");
        File.ReadAllLines(Path.Combine(reports, "compliance-report.md"))[0].Should().StartWith("# HotDash compliance audit: FAILED");
        attempts.Should().Be(1, "the audit runs once per test run");
    }

    public static TheoryData<string, string, bool> WorkflowSteps() => new()
    {
        { "pr-build.yml", "Compliance checks that need no database", true },
        { "pr-build.yml", "Migrations audit (disposable database, proofs as the API role)", false },
        { "compliance-audit.yml", "Run the compliance suite (the Markdown report goes to the job summary)", false },
    };

    /// <summary>
    /// The copy-and-go workflows in a repository the template created, with nothing of this repository's: each test
    /// step's own command and environment (GitHub's expressions filled in as a runner would), its exit code, and the
    /// tests its TRX says ran. A step that runs no test fails here, whatever its exit code.
    /// </summary>
    [Theory]
    [MemberData(nameof(WorkflowSteps))]
    public void A_copied_workflow_step_runs_the_tests_the_template_created(string workflow, string step, bool passes)
    {
        var (command, environment) = WorkflowStep.Read(Repository.PathOf("samples", "workflows", workflow), step, created.RepositoryRoot);
        if (Directory.Exists(Path.Combine(created.RepositoryRoot, "artifacts")))
        {
            Directory.Delete(Path.Combine(created.RepositoryRoot, "artifacts"), recursive: true);
        }

        var run = ProcessRunner.Run("bash", created.RepositoryRoot, TimeSpan.FromMinutes(8), Clean(environment), "-c", command);

        (run.ExitCode == 0).Should().Be(passes, run.Output);
        var trx = Directory.GetFiles(created.RepositoryRoot, "*.trx", SearchOption.AllDirectories).Select(f => new FileInfo(f)).MaxBy(f => f.LastWriteTimeUtc);
        trx.Should().NotBeNull("the step writes its TRX: " + run.Output);
        var counters = XDocument.Load(trx!.FullName).Descendants().Single(e => e.Name.LocalName == "Counters");
        int.Parse(counters.Attribute("executed")!.Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0, "a workflow that runs no test proves nothing");
        run.Output.Should().Contain("Acme.Compliance.Summary.Audit_passes");
    }

    private static Dictionary<string, string?> Clean(Dictionary<string, string?> set)
    {
        // Nothing from the machine's own HOTDASH_* variables may leak into either run.
        var environment = AuditSettings.VariableNames.ToDictionary(name => name, _ => (string?)null);
        environment["GITHUB_STEP_SUMMARY"] = null;
        foreach (var (name, value) in set)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static List<string> Findings(string reports)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "compliance-report.json")));
        return report.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => string.Join(" | ", new[] { "rule", "severity", "concern", "subject", "location", "message" }.Select(p => f.GetProperty(p).GetString())))
            .Select(f => Regex.Replace(f, @"127\.0\.0\.1:[0-9]+(/hotdash_migrations_[0-9a-f]+)?", "<throwaway server>"))
            .Select(f => Regex.Replace(f, @"[0-9]+(\.[0-9]+)? ms", "<n> ms"))
            .ToList();
    }

    /// <summary>The packages packed once with a version of this run's own, the template installed in a hive of its own, and one project created.</summary>
    public sealed class CreatedProject : IDisposable
    {
        private readonly string _root = System.IO.Directory.CreateTempSubdirectory("hotdash-template-").FullName;

        public CreatedProject()
        {
            // The adopter's repository: a git repository with the suite project where README says, the rules at the
            // root, the Supabase migrations and fly.toml of the sample as theirs, a solution, and the packed feed.
            Version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            Feed = Path.Combine(_root, "feed");
            foreach (var project in new[] { "HotDash.Compliance.Audit", "HotDash.Compliance.Suite", "HotDash.Compliance.Templates" })
            {
                Must(ProcessRunner.Run("dotnet", Repository.Root, TimeSpan.FromMinutes(5), null,
                    "pack", Repository.PathOf("compliance-tests", project), "-o", Feed, "-nologo", $"-p:PackageVersion={Version}"));
            }

            var hive = Path.Combine(_root, "hive");
            Must(ProcessRunner.Run("dotnet", _root, TimeSpan.FromMinutes(2), null,
                "new", "install", Path.Combine(Feed, $"HotDash.Compliance.Templates.{Version}.nupkg"), "--debug:custom-hive", hive));
            RepositoryRoot = Path.Combine(_root, "acme");
            System.IO.Directory.CreateDirectory(RepositoryRoot);
            Must(ProcessRunner.Run("git", RepositoryRoot, TimeSpan.FromMinutes(1), null, "init", "-q"));
            Directory = Path.Combine(RepositoryRoot, "tests", "Compliance");
            Must(ProcessRunner.Run("dotnet", RepositoryRoot, TimeSpan.FromMinutes(2), null,
                "new", "hotdash-compliance", "-n", "Acme.Compliance", "-o", Directory, "--debug:custom-hive", hive));
            Must(ProcessRunner.Run("dotnet", RepositoryRoot, TimeSpan.FromMinutes(1), null, "new", "sln", "-n", "Acme"));
            Must(ProcessRunner.Run("dotnet", RepositoryRoot, TimeSpan.FromMinutes(1), null, "sln", "add", Path.Combine(Directory, "Acme.Compliance.csproj")));
            File.WriteAllText(Path.Combine(RepositoryRoot, "hotdash.rules.json"), """{ "version": 1, "extends": "hotdash:canonical" }""");
            CopyTree(Repository.PathOf("samples", "supabase", "migrations"), Path.Combine(RepositoryRoot, "supabase", "migrations"));
            File.WriteAllText(Path.Combine(RepositoryRoot, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="hotdash-packed" value="{Feed}" />
                  </packageSources>
                </configuration>
                """);
        }

        public string Version { get; }

        public string Feed { get; }

        /// <summary>The suite project: tests/Compliance of the adopter's repository.</summary>
        public string Directory { get; }

        /// <summary>The adopter's repository (git init, a solution, hotdash.rules.json, supabase/migrations).</summary>
        public string RepositoryRoot { get; }

        private static void CopyTree(string from, string to)
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public XDocument Nuspec(string id)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{Version}.nupkg"));
            using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            return XDocument.Parse(reader.ReadToEnd());
        }

        public void Dispose()
        {
            PackedFeed.RemoveFromCache(Version, "HotDash.Compliance.Audit", "HotDash.Compliance.Suite", "HotDash.Compliance.Templates");
            try
            {
                System.IO.Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }

        private static void Must(ProcessResult result)
        {
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(result.Output);
            }
        }
    }
}
