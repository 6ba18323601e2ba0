using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HotDash.Compliance.Audit.Settings;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Adoption;

/// <summary>
/// Adoption as a user does it: pack the engine, the suite and the template; `dotnet new install` the template into
/// a hive of its own; `dotnet new hotdash-compliance`; restore from the packed feed; `dotnet test` the new project
/// against a throwaway PostgreSQL and the sample's fly.toml; and compare its report with this repository's suite.
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

        var dependencies = created.Nuspec("HotDash.Compliance.Suite").Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
        dependencies.Should().Contain("HotDash.Compliance.Audit", created.Version, "the suite and its engine are versioned together");
        dependencies.Should().ContainKey("xunit.v3.extensibility.core");
        created.Nuspec("HotDash.Compliance.Templates").Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value.Should().Be("Template");
    }

    [Fact]
    public void The_template_creates_a_suite_project_and_a_starter_rules_file_that_extends_the_canonical_rules()
    {
        Directory.GetFiles(created.Directory).Select(Path.GetFileName).Should().Contain(["Acme.Compliance.csproj", "ComplianceChecks.cs", "hotdash.rules.json", "README.md"]);
        var project = File.ReadAllText(Path.Combine(created.Directory, "Acme.Compliance.csproj"));
        project.Should().Contain($"<PackageReference Include=\"HotDash.Compliance.Suite\" Version=\"{created.Version}\" />").And.NotContain("$(");
        File.ReadAllText(Path.Combine(created.Directory, "ComplianceChecks.cs")).Should().Contain("namespace Acme.Compliance;");
        using var rules = JsonDocument.Parse(File.ReadAllText(Path.Combine(created.Directory, "hotdash.rules.json")));
        rules.RootElement.GetProperty("extends").GetString().Should().Be("hotdash:canonical");
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
        Findings(theirs).Should().BeEquivalentTo(Findings(ours)).And.HaveCountGreaterThan(30);
    }

    [Fact]
    public void Without_HOTDASH_RULES_the_created_project_uses_its_own_rules_file()
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-own-rules-").FullName;
        var run = ProcessRunner.Run("dotnet", created.Directory, TimeSpan.FromMinutes(8), Clean(new() { ["HOTDASH_REPORT_DIR"] = reports }), "test");
        run.Output.Should().Contain("Acme.Compliance.Summary.Audit_passes", run.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "compliance-report.json")));
        report.RootElement.GetProperty("rules").GetProperty("file").GetString().Should().Be(Path.Combine(created.Directory, "hotdash.rules.json"));
        using var effective = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "effective-rules.json")));
        effective.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!.Split(' ')[0]).Last().Should().Be("hotdash:canonical");
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
            Directory = Path.Combine(_root, "Acme.Compliance");
            Must(ProcessRunner.Run("dotnet", _root, TimeSpan.FromMinutes(2), null,
                "new", "hotdash-compliance", "-n", "Acme.Compliance", "-o", Directory, "--debug:custom-hive", hive));
            File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
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

        public string Directory { get; }

        public XDocument Nuspec(string id)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{Version}.nupkg"));
            using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            return XDocument.Parse(reader.ReadToEnd());
        }

        public void Dispose()
        {
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
