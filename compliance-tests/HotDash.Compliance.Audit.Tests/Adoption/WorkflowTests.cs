using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Settings;
using YamlDotNet.RepresentationModel;

namespace HotDash.Compliance.Audit.Tests.Adoption;

/// <summary>
/// The copy-and-go workflows cannot rot silently: they parse as YAML, and every path, project,
/// MSBuild property and HOTDASH_* variable they use exists in this repository.
/// </summary>
public class WorkflowTests
{
    public static TheoryData<string> Workflows() => new(["samples/workflows/pr-build.yml", "samples/workflows/compliance-audit.yml", ".github/workflows/ci.yml"]);

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Each_workflow_is_valid_yaml_with_jobs_and_steps(string file)
    {
        var root = Load(file);
        root.Children.Keys.Select(k => k.ToString()).Should().Contain(["name", "on", "jobs"]);
        var steps = Steps(root).ToList();
        steps.Should().NotBeEmpty();
        steps.Should().OnlyContain(s => s.Children.ContainsKey(new YamlScalarNode("uses")) || s.Children.ContainsKey(new YamlScalarNode("run")));
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_path_property_and_variable_a_workflow_uses_exists(string file)
    {
        var text = File.ReadAllText(Repository.PathOf(file));

        foreach (Match path in Regex.Matches(text, @"(?<![\w/.-])((?:compliance-tests|analyzers|samples|scripts|rules)/[\w./-]*[\w])"))
        {
            (Directory.Exists(Repository.PathOf(path.Value)) || File.Exists(Repository.PathOf(path.Value))).Should().BeTrue($"{file} refers to {path.Value}");
        }

        var variables = Regex.Matches(text, @"HOTDASH_[A-Z_]+").Select(m => m.Value).Distinct();
        variables.Should().BeSubsetOf(AuditSettings.VariableNames, $"{file} may only use variables the suite reads");

        var targets = Repository.Read("analyzers", "HotDash.Compliance.Analyzers.Package", "build", "HotDash.Compliance.Analyzers.targets");
        foreach (Match property in Regex.Matches(text, @"-p:(HotDash\w+)=([^\s]*)"))
        {
            targets.Should().Contain($"$({property.Groups[1].Value})", $"{file} sets {property.Groups[1].Value}, which the package's targets must read");
            if (property.Groups[1].Value == "HotDashSeverityPreset")
            {
                File.Exists(Repository.PathOf("analyzers", "HotDash.Compliance.Analyzers.Package", "config", $"hotdash.{property.Groups[2].Value}.globalconfig"))
                    .Should().BeTrue($"preset '{property.Groups[2].Value}' must ship");
            }
        }

        if (text.Contains("global-json-file: global.json"))
        {
            File.Exists(Repository.PathOf("global.json")).Should().BeTrue();
        }
    }

    [Fact]
    public void The_pr_build_fails_on_hotdash_rules_annotates_with_sarif_and_runs_the_suite()
    {
        var root = Load("samples/workflows/pr-build.yml");
        ((YamlMappingNode)root["on"]).Children.Keys.Select(k => k.ToString()).Should().Contain("pull_request");
        var runs = Runs(root).ToList();
        runs.Should().Contain(r => r.Contains("dotnet build") && r.Contains("-p:HotDashSeverityPreset=strict") && r.Contains("-p:HotDashSarifDirectory="));
        runs.Should().Contain(r => r.Contains("dotnet test \"$COMPLIANCE_PROJECT\"") && r.Contains("trx"));
        runs.Should().NotContain(r => r.Contains("--filter"), "a filter that matches no test passes without an audit");
        Uses(root).Should().Contain(u => u.StartsWith("github/codeql-action/upload-sarif@"));
        Uses(root).Should().Contain(u => u.StartsWith("dorny/test-reporter@"));
        File.ReadAllText(Repository.PathOf("samples/workflows/pr-build.yml")).Should().NotContain("HOTDASH_DATABASE_URL", "the PR build runs only the checks that need no database");
    }

    [Fact]
    public void The_audit_runs_monday_and_thursday_over_both_targets_and_keeps_the_evidence()
    {
        var root = Load("samples/workflows/compliance-audit.yml");
        var on = (YamlMappingNode)root["on"];
        ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)on["schedule"])[0])["cron"]).Value.Should().Be("0 13 * * 1,4");
        on.Children.Keys.Select(k => k.ToString()).Should().Contain("workflow_dispatch");

        var job = (YamlMappingNode)((YamlMappingNode)root["jobs"])["audit"];
        var targets = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)job["strategy"])["matrix"])["include"])
            .Cast<YamlMappingNode>().Select(m => m["target"].ToString());
        targets.Should().BeEquivalentTo(["staging", "production"]);
        ((YamlMappingNode)job["env"])["HOTDASH_AUDIT_REQUIRE_ALL"].ToString().Should().Be("1");

        var runs = Runs(root).ToList();
        runs.Should().Contain(r => r.Contains("fly machines list --json") && r.Contains("HOTDASH_FLY_MACHINES=hotdash-chatwoot="));
        runs.Should().Contain(r => r.Contains("dotnet test \"$COMPLIANCE_PROJECT\""));
        var upload = Steps(root).Single(s => s.Children.TryGetValue(new YamlScalarNode("uses"), out var u) && u.ToString().StartsWith("actions/upload-artifact@"));
        upload["if"].ToString().Should().Be("always()");
        File.ReadAllText(Repository.PathOf("samples/workflows/compliance-audit.yml")).Should().Contain("secrets.HOTDASH_DATABASE_URL");
    }

    [Theory]
    [InlineData("samples/workflows/pr-build.yml")]
    [InlineData("samples/workflows/compliance-audit.yml")]
    public void A_copy_and_go_workflow_needs_nothing_from_this_repository_and_runs_the_project_the_template_creates(string file)
    {
        var text = File.ReadAllText(Repository.PathOf(file));
        Regex.Matches(text, @"(?<![\w/.-])((?:compliance-tests|analyzers|samples|scripts|rules)/[\w./-]*[\w])").Should().BeEmpty("an adopter's repository has none of this repository's folders");
        text.Should().Contain("COMPLIANCE_PROJECT: tests/Compliance").And.Contain("dotnet new hotdash-compliance -o tests/Compliance");
        Repository.Read("README.md").Should().MatchRegex(@"dotnet new hotdash-compliance (-n \S+ )?-o tests/Compliance", "README creates the project where the workflows look for it");
    }

    [Fact]
    public void This_repositorys_ci_runs_the_same_as_ci_run()
    {
        Runs(Load(".github/workflows/ci.yml")).Should().Contain("bash .ci/run");
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Repository.PathOf(file))));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode root) =>
        ((YamlMappingNode)root["jobs"]).Children.Values.Cast<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>());

    private static IEnumerable<string> Runs(YamlMappingNode root) =>
        Steps(root).Where(s => s.Children.ContainsKey(new YamlScalarNode("run"))).Select(s => Regex.Replace(s["run"].ToString(), @"\s+", " ").Trim());

    private static IEnumerable<string> Uses(YamlMappingNode root) =>
        Steps(root).Where(s => s.Children.ContainsKey(new YamlScalarNode("uses"))).Select(s => s["uses"].ToString());
}
