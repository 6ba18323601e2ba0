using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit.Tests.Settings;

/// <summary>Every environment variable is read by <see cref="AuditSettings"/>, and README's table lists exactly those.</summary>
public class AuditSettingsTests
{
    [Fact]
    public void Readme_lists_every_variable_the_settings_read_and_no_other()
    {
        var readme = Repository.Read("README.md");
        var listed = Regex.Matches(readme, @"(?m)^\| (`[A-Z_]+`(?: / `[A-Z_]+`)*) \|")
            .SelectMany(row => Regex.Matches(row.Groups[1].Value, "`([A-Z_]+)`").Select(name => name.Groups[1].Value))
            .ToHashSet();
        listed.Should().BeEquivalentTo(AuditSettings.VariableNames);
    }

    [Fact]
    public void Nothing_else_in_the_engine_or_the_suite_reads_the_environment()
    {
        // Not settings of ours: the suite asks whether the user set xUnit's own display variable before setting it for
        // them, and a throwaway server's binaries are looked for on the PATH.
        var allowed = new HashSet<(string, string)> { ("SuiteAudit.cs", "PrintMaxStringLength"), ("LocalPostgres.cs", "\"PATH\"") };
        var readers = new[] { "HotDash.Compliance.Audit", "HotDash.Compliance.Suite" }
            .SelectMany(project => Directory.GetFiles(Repository.PathOf("compliance-tests", project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => Path.GetFileName(file) != "AuditSettings.cs")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"GetEnvironmentVariable\(([^)]*)\)").Select(m => (File: Path.GetFileName(file), Argument: m.Groups[1].Value)))
            .Where(read => !allowed.Contains((read.File, read.Argument)))
            .ToList();
        readers.Should().BeEmpty("every variable is read by AuditSettings, so README's table and the settings are the whole list");
    }

    [Fact]
    public void The_server_binaries_and_the_step_summary_come_from_the_settings()
    {
        var variables = new Dictionary<string, string?> { ["HOTDASH_PG_BIN"] = "/opt/pg/bin", ["GITHUB_STEP_SUMMARY"] = "/tmp/summary.md", ["HOTDASH_REPO_ROOT"] = "/repo" };
        var settings = AuditSettings.FromVariables(name => variables.GetValueOrDefault(name));
        settings.PostgresBin.Should().Be("/opt/pg/bin");
        settings.StepSummary.Should().Be("/tmp/summary.md");
        settings.DisposableServer.Should().Be(new HotDash.Compliance.Audit.Migrations.DisposableServer(null, "/opt/pg/bin"));
    }
}
