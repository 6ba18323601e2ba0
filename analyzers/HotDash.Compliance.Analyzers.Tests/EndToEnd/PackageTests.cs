using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;

namespace HotDash.Compliance.Analyzers.Tests.EndToEnd;

/// <summary>
/// The PR-build story, for real: pack the NuGet package, install it from a local folder into a fresh
/// project, and build that project with the real CLI.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
{
    private const string ReadsToken = """
        public static class Program
        {
            public static void Main()
            {
                var token = System.Environment.GetEnvironmentVariable("SHOPIFY_ADMIN_TOKEN");
                System.Console.WriteLine(token?.Length);
            }
        }
        """;

    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package)
    {
        _package = package;
    }

    [Fact]
    public void The_package_holds_the_analyzer_its_core_and_the_build_targets()
    {
        // The core is the analyzers' one dependency: the compiler loads it from beside them (the consumer builds in
        // this class prove it loads), and nothing else may be needed there.
        using var zip = System.IO.Compression.ZipFile.OpenRead(_package.NupkgPath);
        zip.Entries.Select(e => e.FullName).Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Should().BeEquivalentTo(
            "analyzers/dotnet/cs/HotDash.Compliance.Analyzers.dll",
            "analyzers/dotnet/cs/HotDash.Compliance.CodeFixes.dll",
            "analyzers/dotnet/cs/HotDash.Compliance.Core.dll");
        zip.Entries.Select(e => e.FullName).Should().Contain(
        [
            "buildTransitive/HotDash.Compliance.Analyzers.targets",
            "build/HotDash.Compliance.Analyzers.targets",
        ]);
    }

    [Fact]
    public void A_build_fails_with_HD1001_as_an_error_when_editorconfig_says_so()
    {
        var project = _package.NewConsumer(ReadsToken, editorConfig: "dotnet_diagnostic.HD1001.severity = error");
        var result = Build(project);
        result.ExitCode.Should().NotBe(0, result.Output);
        result.Diagnostics.Should().ContainSingle(d => d.Id == "HD1001" && d.Severity == "error" && d.File.EndsWith("Program.cs") && d.Line == 5 && d.Column == 63, result.Output);
    }

    [Fact]
    public void Pragma_warning_disable_silences_it()
    {
        var source = ReadsToken.Replace("        var token", "#pragma warning disable HD1001\n        var token").Replace("        System.Console", "#pragma warning restore HD1001\n        System.Console");
        var project = _package.NewConsumer(source, editorConfig: "dotnet_diagnostic.HD1001.severity = error");
        var result = Build(project);
        result.ExitCode.Should().Be(0, result.Output);
        result.Diagnostics.Should().NotContain(d => d.Id == "HD1001");
    }

    [Fact]
    public void The_repository_rules_file_is_picked_up_from_the_root()
    {
        var project = _package.NewConsumer(ReadsToken.Replace("SHOPIFY_ADMIN_TOKEN", "LEGACY_API_KEY"), editorConfig: null,
            rules: """{ "version": 1, "configuration": { "deprecatedKeys": [ { "key": "LEGACY_API_KEY", "replacement": "use ApiKeys:Current" } ] } }""");
        var result = Build(project);
        result.Diagnostics.Should().ContainSingle(d => d.Id == "HD1001" && d.Severity == "warning", result.Output)
            .Which.Message.Should().Contain("'LEGACY_API_KEY'").And.Contain("use ApiKeys:Current");
    }

    [Fact]
    public void A_rules_file_that_extends_files_by_path_gets_them_from_the_build_targets()
    {
        // hotdash.rules.json -> shared/team.rules.json -> shared/org/base.rules.json -> hotdash:canonical
        var project = _package.NewConsumer(
            ReadsToken.Replace("var token = System.Environment.GetEnvironmentVariable(\"SHOPIFY_ADMIN_TOKEN\");",
                "var token = System.Environment.GetEnvironmentVariable(\"SHOPIFY_ADMIN_TOKEN\") + System.Environment.GetEnvironmentVariable(\"TEAM_KEY\") + System.Environment.GetEnvironmentVariable(\"ORG_KEY\");"),
            editorConfig: null,
            rules: """{ "version": 1, "extends": "shared/team.rules.json" }""");
        Directory.CreateDirectory(Path.Combine(project, "shared", "org"));
        File.WriteAllText(Path.Combine(project, "shared", "team.rules.json"),
            """{ "version": 1, "extends": "org/base.rules.json", "configuration": { "deprecatedKeys": [ { "key": "TEAM_KEY", "replacement": "use the team vault" } ] } }""");
        File.WriteAllText(Path.Combine(project, "shared", "org", "base.rules.json"),
            "{\n  \"version\": 1,\n  \"extends\": \"hotdash:canonical\",\n  \"configuration\": { \"deprecatedKeys\": [ { \"key\": \"ORG_KEY\", \"replacement\": \"use the org vault\" } ] }\n}\n");

        var result = Build(project);
        result.Diagnostics.Where(d => d.Id == "HD1001").Select(d => d.Message).Should().HaveCount(3, result.Output)
            .And.Contain(m => m.Contains("'SHOPIFY_ADMIN_TOKEN'")).And.Contain(m => m.Contains("'TEAM_KEY'")).And.Contain(m => m.Contains("'ORG_KEY'"));

        // A mistake two files away is reported in that file, at its line and column.
        File.WriteAllText(Path.Combine(project, "shared", "org", "base.rules.json"), "{\n  \"version\": 1,\n  \"colour\": \"red\"\n}\n");
        var broken = Build(project);
        broken.Diagnostics.Should().ContainSingle(d => d.Id == "HD0001" && d.File.EndsWith("base.rules.json") && d.Line == 3 && d.Column == 3, broken.Output);
    }

    [Fact]
    public void A_malformed_rules_file_gives_HD0001_at_its_location_fails_the_build_and_the_defaults_apply()
    {
        var project = _package.NewConsumer(ReadsToken, editorConfig: null, rules: "{\n  \"version\": 1,\n  \"bogus\": true\n}\n");
        var result = Build(project);
        result.Diagnostics.Should().ContainSingle(d => d.Id == "HD0001" && d.Severity == "error" && d.File.EndsWith("hotdash.rules.json") && d.Line == 3 && d.Column == 3, result.Output);
        result.ExitCode.Should().NotBe(0, "a build that passes on rules it could not read says nothing");
        result.Diagnostics.Should().ContainSingle(d => d.Id == "HD1001" && d.Message.Contains("'SHOPIFY_ADMIN_TOKEN'"), "the built-in defaults still apply");
    }

    [Fact]
    public void An_extends_path_that_names_no_file_is_HD0001_saying_it_does_not_exist()
    {
        var project = _package.NewConsumer(ReadsToken, editorConfig: null, rules: "{\n  \"version\": 1,\n  \"extends\": \"shared/missing.rules.json\"\n}\n");
        var result = Build(project);
        var problem = result.Diagnostics.Should().ContainSingle(d => d.Id == "HD0001" && d.Line == 3, result.Output).Which;
        problem.Message.Should().Contain("missing.rules.json does not exist").And.NotContain("AdditionalFiles");
    }

    [Fact]
    public void The_strict_preset_makes_every_rule_an_error_and_editorconfig_still_overrides_one()
    {
        const string Program = """
            public static class Program
            {
                public static void Main() => System.Console.WriteLine(System.Environment.GetEnvironmentVariables().Count);
            }
            """;
        var strict = Build(_package.NewConsumer(Program, editorConfig: null, properties: "<HotDashSeverityPreset>strict</HotDashSeverityPreset>"));
        strict.ExitCode.Should().NotBe(0);
        strict.Diagnostics.Should().ContainSingle(d => d.Id == "HD1003" && d.Severity == "error", strict.Output);

        var overridden = Build(_package.NewConsumer(Program, editorConfig: "dotnet_diagnostic.HD1003.severity = none", properties: "<HotDashSeverityPreset>strict</HotDashSeverityPreset>"));
        overridden.ExitCode.Should().Be(0, overridden.Output);
        overridden.Diagnostics.Should().NotContain(d => d.Id == "HD1003");

        var unknown = Build(_package.NewConsumer(Program, editorConfig: null, properties: "<HotDashSeverityPreset>paranoid</HotDashSeverityPreset>"));
        unknown.ExitCode.Should().NotBe(0);
        unknown.Output.Should().Contain("HotDashSeverityPreset 'paranoid' is not a HotDash.Compliance preset: use recommended or strict.");
    }

    [Fact]
    public void Sarif_is_written_for_code_scanning_when_asked()
    {
        var project = _package.NewConsumer(ReadsToken, editorConfig: null, properties: "<HotDashSarifDirectory>$(MSBuildProjectDirectory)/sarif</HotDashSarifDirectory>");
        Build(project);
        var sarif = Path.Combine(project, "sarif", "Consumer.sarif");
        File.Exists(sarif).Should().BeTrue();
        using var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(sarif));
        log.RootElement.GetProperty("version").GetString().Should().Be("2.1.0");
        log.RootElement.GetRawText().Should().Contain("HD1001").And.Contain("docs/rules/HD1001.md");
    }

    [Fact]
    public void A_relative_sarif_directory_is_one_folder_for_the_solution_not_one_per_project()
    {
        var project = _package.NewConsumer(ReadsToken, editorConfig: null, properties: "<HotDashSarifDirectory>artifacts/sarif</HotDashSarifDirectory>");
        var solution = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(project)!, "solution-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        DotNet.Run(solution, TimeSpan.FromMinutes(1), "new", "sln", "-n", "All").ExitCode.Should().Be(0);
        DotNet.Run(solution, TimeSpan.FromMinutes(1), "sln", "add", Path.Combine(project, "Consumer.csproj")).ExitCode.Should().Be(0);
        var build = DotNet.Run(solution, TimeSpan.FromMinutes(5), "build", "-nologo", "-p:UseSharedCompilation=false");

        File.Exists(Path.Combine(solution, "artifacts", "sarif", "Consumer.sarif")).Should().BeTrue(build.Output);
        Directory.Exists(Path.Combine(project, "artifacts")).Should().BeFalse("the folder is the solution's, not the project's");
    }

    [Fact]
    public void The_package_metadata_is_complete()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(_package.NupkgPath);
        using (var schema = new StreamReader(zip.GetEntry("schema/hotdash.rules.schema.json")!.Open()))
        {
            schema.ReadToEnd().Should().Be(Repository.Read("rules", "canonical-stack.schema.json"), "the package ships the schema the rules are validated against");
        }

        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        var nuspec = System.Xml.Linq.XDocument.Parse(reader.ReadToEnd());
        string Value(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;
        nuspec.Descendants().Single(e => e.Name.LocalName == "license").Attribute("type")!.Value.Should().Be("expression");
        Value("license").Should().Be("Apache-2.0");
        Value("readme").Should().Be("README.md");
        nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value.Should().StartWith("https://github.com/");
        Value("releaseNotes").Should().Contain("HD1001 | HotDash.Configuration | Warning");
        Value("developmentDependency").Should().Be("true");
        zip.Entries.Select(e => e.FullName).Should().Contain(["README.md", "config/hotdash.recommended.globalconfig", "config/hotdash.strict.globalconfig"]);
    }

    [Fact]
    public void The_build_is_deterministic()
    {
        string BuildInto(string artifacts)
        {
            var result = DotNet.Run(Repository.Root, TimeSpan.FromMinutes(5), "build", Repository.PathOf("analyzers", "HotDash.Compliance.Analyzers"),
                "-nologo", "-c", "Release", "--artifacts-path", artifacts, "-p:ContinuousIntegrationBuild=true", "-p:UseSharedCompilation=false");
            result.ExitCode.Should().Be(0, result.Output);
            return Directory.GetFiles(artifacts, "HotDash.Compliance.Analyzers.dll", SearchOption.AllDirectories).Single(f => f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        }

        // The same commit, built twice from scratch in the same place, gives the same bytes.
        var artifacts = Path.Combine(_package.Feed, "..", "deterministic");
        var first = File.ReadAllBytes(BuildInto(artifacts));
        Directory.Delete(artifacts, recursive: true);
        var second = File.ReadAllBytes(BuildInto(artifacts));
        second.Should().Equal(first);
    }

    private static DotNetResult Build(string project) =>
        DotNet.Run(project, TimeSpan.FromMinutes(5), "build", "-nologo", "-p:UseSharedCompilation=false");

    /// <summary>Packs the package once, with a version unique to this run so no stale cache can answer.</summary>
    public sealed class PackedPackage : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("hotdash-e2e-").FullName;

        public PackedPackage()
        {
            Version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
            Feed = Path.Combine(_root, "feed");
            var pack = DotNet.Run(Repository.Root, TimeSpan.FromMinutes(5), "pack",
                Repository.PathOf("analyzers", "HotDash.Compliance.Analyzers.Package"), "-o", Feed, "-nologo", $"-p:PackageVersion={Version}");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
            }

            NupkgPath = Directory.GetFiles(Feed, "*.nupkg").Single();
        }

        public string Version { get; }

        public string Feed { get; }

        public string NupkgPath { get; }

        public string NewConsumer(string program, string? editorConfig, string? rules = null, string properties = "")
        {
            var directory = Directory.CreateDirectory(Path.Combine(_root, "consumer-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    {properties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="HotDash.Compliance.Analyzers" Version="{Version}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="hotdash-e2e" value="{Feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
            if (editorConfig is not null)
            {
                File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n\n[*.cs]\n" + editorConfig + "\n");
            }

            if (rules is not null)
            {
                File.WriteAllText(Path.Combine(directory, "hotdash.rules.json"), rules);
            }

            return directory;
        }

        public void Dispose()
        {
            PackedFeed.RemoveFromCache(Version, "HotDash.Compliance.Analyzers");
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
