using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit.Tests.Report;

/// <summary>HOTDASH_SARIF: findings that point into the repository's files, for code scanning; repository-relative paths.</summary>
public class SarifWriterTests
{
    [Theory]
    [InlineData("fly/chatwoot/fly.toml:40", "fly/chatwoot/fly.toml", 40, 0)]
    [InlineData("fly/chatwoot/fly.toml:30:3", "fly/chatwoot/fly.toml", 30, 3)]
    [InlineData("hotdash.rules.json", "hotdash.rules.json", 1, 0)]
    [InlineData("supabase/migrations/20260102000000_hotdash_core.sql:5:1", "supabase/migrations/20260102000000_hotdash_core.sql", 5, 1)]
    public void File_locations_are_read_relative_to_the_repository(string location, string path, int line, int column) =>
        SarifWriter.FileLocation(location, Repository.PathOf("samples")).Should().Be((path, line, column));

    [Theory]
    [InlineData("postgres://postgres@127.0.0.1:5432/hotdash (table public.x)")]
    [InlineData("machine d891394fe65358 (fly/chatwoot/machines.json[1])")]
    [InlineData("https://staging.example.com/tiles")]
    [InlineData("fly/nowhere/fly.toml:3")]
    [InlineData("../outside.toml:1")]
    public void Live_targets_and_missing_or_outside_files_have_no_file_location(string location) =>
        SarifWriter.FileLocation(location, Repository.PathOf("samples")).Should().BeNull();

    [Fact]
    public async Task The_sample_audit_writes_its_fly_toml_findings_as_sarif_with_repository_relative_paths()
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-sarif-").FullName;
        var settings = AuditSettings.FromVariables(name => name switch
        {
            "HOTDASH_REPO_ROOT" => Repository.PathOf("samples"),
            "HOTDASH_RULES" => Repository.PathOf("samples", "hotdash.rules.json"),
            "HOTDASH_REPORT_DIR" => reports,
            _ => null,
        });
        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);
        outcome.Findings.Should().Contain(f => f.RuleId == "HD7001" && f.Location == "fly/chatwoot/fly.toml:40", "report paths are relative to the repository root");

        var path = SarifWriter.Write(outcome.Report, Path.Combine(reports, "audit.sarif"), settings.RepoRoot);
        using var sarif = JsonDocument.Parse(File.ReadAllText(path));
        var run = sarif.RootElement.GetProperty("runs")[0];
        sarif.RootElement.GetProperty("version").GetString().Should().Be("2.1.0");
        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.Should().Contain(r => r.GetProperty("ruleId").GetString() == "HD7001"
            && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString() == "fly/chatwoot/fly.toml"
            && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32() == 40);
        results.Should().Contain(r => r.GetProperty("ruleId").GetString() == "HD7005" && r.GetProperty("level").GetString() == "error");
        results.Should().OnlyContain(r => !r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!.StartsWith("/"));
        run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Should().Contain("HD7001");
    }
}
