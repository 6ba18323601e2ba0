using System.Collections.Generic;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Fly;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Fly;

public sealed class FlyMemoryAuditTests : System.IDisposable
{
    private const string Rules = """
        { "version": 1, "fly": { "apps": [ { "name": "hotdash-chatwoot", "config": "fly.toml",
          "processes": [ { "group": "worker", "minMemory": "2gb" } ] } ] } }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("hotdash-fly-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_worker_below_its_minimum_is_reported_with_app_group_both_sizes_and_the_section_line()
    {
        var finding = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"1gb\"\n")).Single();
        finding.RuleId.Should().Be("HD7001");
        finding.Severity.Should().Be(Severity.Error);
        finding.Subject.Should().Be("hotdash-chatwoot/worker");
        finding.Location.Should().Be($"{_root}/fly.toml:7");
        finding.Message.Should().Contain("'worker'").And.Contain("'hotdash-chatwoot'").And.Contain("1024 MB").And.Contain("2048 MB").And.Contain("memory = \"2048mb\"");
    }

    [Fact]
    public void A_worker_at_its_minimum_passes()
    {
        var finding = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  size = \"performance-1x\"\n")).Single();
        finding.Severity.Should().Be(Severity.Pass);
        finding.Message.Should().Contain("2048 MB");
    }

    [Fact]
    public void A_group_with_no_size_says_that_fly_toml_leaves_it_to_whatever_runs()
    {
        var finding = Run(Toml("[[vm]]\n  processes = [\"app\"]\n  memory = \"4gb\"\n")).Single();
        finding.RuleId.Should().Be("HD7003");
        finding.Location.Should().Be($"{_root}/fly.toml:3", "no section applies, so the finding points at [processes]");
        finding.Message.Should().Contain("no size at all").And.Contain("leaves its machines at whatever size they have");
    }

    [Fact]
    public void A_group_missing_from_processes_is_reported()
    {
        var finding = Run("app = \"hotdash-chatwoot\"\n\n[processes]\n  app = \"web\"\n").Single();
        finding.RuleId.Should().Be("HD7003");
        finding.Message.Should().Contain("declares no such group (groups: app)");
    }

    [Fact]
    public void A_different_app_name_and_a_missing_file_are_reported()
    {
        Run(Toml("[[vm]]\n  size = \"performance-1x\"\n").Replace("hotdash-chatwoot", "chatwoot-beehive"))
            .Should().Contain(f => f.RuleId == "HD7003" && f.Message.Contains("declares app = 'chatwoot-beehive'"));
        File.Delete(Path.Combine(_root, "fly.toml"));
        Run(null).Single().Message.Should().Contain("there is no such file");
    }

    [Fact]
    public void Invalid_toml_and_rejected_values_are_errors_at_their_location()
    {
        var invalid = Run("app = \"hotdash-chatwoot\"\napp = \"again\"\n").Single();
        invalid.RuleId.Should().Be("HD7004");
        invalid.Location.Should().Be($"{_root}/fly.toml:2:1");
        var zero = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = 0\n")).Single();
        zero.RuleId.Should().Be("HD7004");
        zero.Location.Should().Be($"{_root}/fly.toml:9");
    }

    [Fact]
    public void Live_machines_are_checked_against_the_rule_and_against_fly_toml()
    {
        var machines = Path.Combine(_root, "machines.json");
        File.WriteAllText(machines, """
            [
              { "id": "ok0000000001", "state": "started", "config": { "guest": { "memory_mb": 2048 }, "metadata": { "fly_process_group": "worker" } } },
              { "id": "d891394fe65358", "state": "started", "config": { "guest": { "memory_mb": 1024 }, "metadata": { "fly_process_group": "worker" } } },
              { "id": "old000000001", "state": "stopped", "config": { "guest": { "memory_mb": 4096 }, "metadata": { "process_group": "worker" } } },
              { "id": "release00001", "state": "stopped", "config": { "guest": { "memory_mb": 256 }, "metadata": { "fly_process_group": "fly_app_release_command" } } },
              { "id": "console00001", "state": "started", "config": { "guest": { "memory_mb": 256 }, "metadata": { "fly_process_group": "fly_app_console" } } },
              { "id": "gone00000001", "state": "destroyed", "config": { "guest": { "memory_mb": 256 }, "metadata": { "fly_process_group": "worker" } } },
              { "id": "noconfig0001", "state": "created" }
            ]
            """);
        var findings = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"2gb\"\n"), [new MachinesSnapshotSource("hotdash-chatwoot", machines)]);

        findings.Should().Contain(f => f.RuleId == "HD7001" && f.Severity == Severity.Pass && f.Location.EndsWith("fly.toml:7"));
        findings.Should().Contain(f => f.RuleId == "HD7002" && f.Severity == Severity.Pass && f.Location.StartsWith("machine ok0000000001"));
        findings.Should().Contain(f => f.RuleId == "HD7001" && f.Severity == Severity.Error && f.Location.StartsWith("machine d891394fe65358") && f.Message.Contains("runs with 1024 MB, below the required 2048 MB"));
        findings.Should().Contain(f => f.RuleId == "HD7002" && f.Severity == Severity.Error && f.Location.StartsWith("machine d891394fe65358")
            && f.Message == "Drift: fly.toml says 2048 MB for process group 'worker', but machine d891394fe65358 runs 1024 MB. The next deploy or scale will change it; make fly.toml and the machines agree.");
        findings.Should().Contain(f => f.RuleId == "HD7002" && f.Location.StartsWith("machine old000000001") && f.Message.Contains("runs 4096 MB"), "the older process_group metadata counts");
        findings.Should().Contain(f => f.Severity == Severity.Warning && f.Location.StartsWith("machine noconfig0001") && f.Message.Contains("has no config"));
        findings.Should().NotContain(f => f.Location.Contains("release00001") || f.Location.Contains("console00001") || f.Location.Contains("gone00000001"));
    }

    [Fact]
    public void A_machine_whose_memory_is_not_a_number_is_reported_not_crashed_on()
    {
        // Found by the mutation tests: JsonElement.TryGetInt32 throws on a string.
        var machines = Path.Combine(_root, "machines.json");
        File.WriteAllText(machines, """[ { "id": "str000000001", "state": "started", "config": { "guest": { "memory_mb": "1024" }, "metadata": { "fly_process_group": "worker" } } } ]""");
        var findings = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"2gb\"\n"), [new MachinesSnapshotSource("hotdash-chatwoot", machines)]);
        findings.Should().Contain(f => f.Severity == Severity.Warning && f.Message.Contains("config.guest.memory_mb is string \"1024\", not a whole number of MB"));
    }

    [Fact]
    public void Fly_scale_show_output_is_accepted()
    {
        var scale = Path.Combine(_root, "hotdash-chatwoot.scale.json");
        File.WriteAllText(scale, """[ { "Process": "worker", "Count": 2, "CPUKind": "shared", "CPUs": 2, "Memory": 1024, "Regions": { "iad": 2 } } ]""");
        var findings = Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"2gb\"\n"), [new MachinesSnapshotSource(null, scale)]);
        findings.Should().Contain(f => f.RuleId == "HD7002" && f.Severity == Severity.Error && f.Location.StartsWith("machine 2 machine(s) of 'worker' (fly scale show)"));
    }

    [Theory]
    [InlineData("[ { \"id\": \"x\", ", "(1,")]
    [InlineData("{ \"machines\": [] }", "expected the JSON array printed by `fly machines list --json`")]
    [InlineData("[ 42 ]", "[0]: expected a machine object")]
    [InlineData("[ { \"state\": \"started\" } ]", "a machine without an \"id\"")]
    public void Bad_snapshots_are_unreadable_with_a_located_readable_message_and_no_finding(string json, string message)
    {
        var snapshot = Path.Combine(_root, "bad.json");
        File.WriteAllText(snapshot, json);
        var loaded = FlyMemoryAudit.LoadSnapshots(Audits.Rules(Rules), [new MachinesSnapshotSource("hotdash-chatwoot", snapshot)]);
        loaded.Unreadable.Should().ContainSingle().Which.Reason.Should().Contain(snapshot).And.Contain(message);
        loaded.Findings.Should().BeEmpty("what cannot be read is not audited, and says nothing about the machines");
        Run(Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"2gb\"\n"), [new MachinesSnapshotSource("hotdash-chatwoot", snapshot)])
            .Should().NotContain(f => f.RuleId == "HD7002");
    }

    private static string Toml(string sections) => $"""
        app = "hotdash-chatwoot"

        [processes]
          app = "bundle exec rails s"
          worker = "bundle exec sidekiq"

        {sections}
        """;

    [Fact]
    public async System.Threading.Tasks.Task A_machines_file_that_is_not_json_is_not_audited_which_fails_the_run_and_is_no_drift()
    {
        File.WriteAllText(Path.Combine(_root, "fly.toml"), Toml("[[vm]]\n  processes = [\"worker\"]\n  memory = \"2gb\"\n"));
        File.WriteAllText(Path.Combine(_root, "rules.json"), Rules);
        var machines = Path.Combine(_root, "machines.json");
        File.WriteAllText(machines, "Error: not authorized to access this app\n");
        var settings = new HotDash.Compliance.Audit.Settings.AuditSettings
        {
            RepoRoot = _root, RulesPath = Path.Combine(_root, "rules.json"), ReportDirectory = Path.Combine(_root, "report"),
            FlyMachinesFiles = ["hotdash-chatwoot=" + machines],
        };
        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);

        outcome.Findings.Should().NotContain(f => f.RuleId == "HD7002", "an unreadable file says nothing about the machines");
        var notAudited = outcome.NotAuditedReason(AuditRunner.FlyMachinesConcern)!;
        notAudited.Requested.Should().BeTrue();
        notAudited.Reason.Should().StartWith("machines.json(1,1): not valid JSON").And.Contain("the live machines of app 'hotdash-chatwoot' were not audited");
        outcome.Report.Passed.Should().BeFalse();
        outcome.Report.Targets.Should().Contain("machines snapshot hotdash-chatwoot=machines.json").And.Contain("fly.toml files under .");
    }

    private List<Finding> Run(string? toml, IReadOnlyList<MachinesSnapshotSource>? snapshots = null)
    {
        if (toml is not null)
        {
            File.WriteAllText(Path.Combine(_root, "fly.toml"), toml);
        }

        return new FlyMemoryAudit().Run(Audits.Rules(Rules), _root, snapshots ?? []).Findings.ToList();
    }
}
