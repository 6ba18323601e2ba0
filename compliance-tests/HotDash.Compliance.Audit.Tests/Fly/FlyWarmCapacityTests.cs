using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Fly;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Fly;

/// <summary>
/// HD7005/HD7006. The effective auto_stop_machines and min_machines_running of each process group in the real
/// fly.toml files of TestData/fly, as flyctl computes them (internal/appconfig Flatten and the deploy's autostop
/// choice): a service routes to the groups its `processes` names, or, naming none, to the default group; no
/// auto_stop_machines means "off"; true/false are the legacy "stop"/"off"; min_machines_running defaults to 0.
/// </summary>
public class FlyWarmCapacityTests
{
    private static readonly string Fixtures = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "fly");

    [Theory]
    [InlineData("SwiftToolkit__vapor-sample__fly.toml", "app", "stop", 0)]                 // auto_stop_machines = 'stop'
    [InlineData("chatwoot__chatwoot__fly.toml@178e579.toml", "app", "stop", 0)]            // legacy true
    [InlineData("chatwoot__chatwoot__fly.toml@178e579.toml", "sidekiq", "off", 0)]         // no service routes to it
    [InlineData("chatwoot__chatwoot__fly.toml@25ab5c1.toml", "app", "off", 1)]             // legacy false, min 1
    [InlineData("chrhansen__shred-day__fly.worker.toml", "app", "off", 0)]                 // "off"
    [InlineData("cosmik-network__semble__fly.production.toml", "web", "stop", 2)]
    [InlineData("cosmik-network__semble__fly.production.toml", "firehose-worker", "off", 0)] // its auto_stop_machines sits in [[vm]], where flyctl ignores it
    [InlineData("dev-hato__hato-bot__fly.toml", "app", "stop", 0)]                          // legacy true
    [InlineData("fly-apps__ollama-open-webui__fly.toml", "app", "stop", 0)]
    [InlineData("kmcphillips__twilio-rails-example__fly.toml", "app", "off", 0)]           // [[services]] without auto_stop_machines
    public void Effective_warm_capacity_of_real_fly_toml_files(string file, string group, string autoStop, int minRunning)
    {
        var capacity = WarmCapacity.Of(FlyConfig.Load(Path.Combine(Fixtures, file)), group);
        capacity.Error.Should().BeNull();
        capacity.AutoStop.Should().Be(autoStop);
        capacity.MinMachinesRunning.Should().Be(minRunning);
    }

    [Fact]
    public void A_service_without_processes_routes_to_the_default_group_and_the_least_stopping_service_wins()
    {
        var config = FlyConfig.Parse("""
            app = "tiles"
            primary_region = "iad"
            [processes]
              web = "serve"
              jobs = "work"
            [http_service]
              internal_port = 8080
              auto_stop_machines = "suspend"
              min_machines_running = 1
              processes = ["web"]
            [[services]]
              internal_port = 9000
              auto_stop_machines = "stop"
              min_machines_running = 2
              processes = ["web"]
            [[services]]
              internal_port = 7000
            """, "fly.toml");
        config.DefaultGroup.Should().Be("jobs", "without an 'app' group flyctl takes the first name in order");
        var web = WarmCapacity.Of(config, "web");
        web.AutoStop.Should().Be("stop");
        web.MinMachinesRunning.Should().Be(2);
        web.MinLine.Should().Be(14);
        WarmCapacity.Of(config, "jobs").AutoStop.Should().Be("off", "the last service names no processes: it routes to the default group, and sets no auto_stop_machines");
    }

    [Fact]
    public void A_value_flyctl_rejects_is_reported_at_its_line()
    {
        var config = FlyConfig.Parse("app = \"x\"\n[http_service]\n  internal_port = 8080\n  auto_stop_machines = \"sometimes\"\n", "fly.toml");
        var capacity = WarmCapacity.Of(config, "app");
        capacity.Error.Should().Contain("flyctl accepts true, false, \"off\", \"stop\" or \"suspend\"");
        capacity.AutoStopLine.Should().Be(4);
    }

    [Fact]
    public void The_sample_chatwoot_web_group_can_go_cold_and_its_machines_are_checked()
    {
        var rules = Audits.Rules("""
            { "version": 1, "fly": { "apps": [ { "name": "hotdash-chatwoot", "config": "fly/chatwoot/fly.toml", "processes": [
              { "group": "app", "minMemory": 1024, "warm": { "minMachinesRunning": 2, "autoStop": ["off", "suspend"], "inPrimaryRegion": true } } ] } ] } }
            """);
        var samples = Repository.PathOf("samples");
        var machines = FlyMachinesSnapshot.Load(Path.Combine(samples, "fly", "chatwoot", "machines.json"));
        var findings = new FlyWarmCapacityAudit().Run(rules, samples, new System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<FlyMachine>> { ["hotdash-chatwoot"] = machines.ToList() });

        // The sample's [http_service] lets the proxy stop idle web machines with none kept running: the tiles incident.
        var config = findings.Where(f => f.RuleId == "HD7005").ToList();
        config.Should().HaveCount(2).And.OnlyContain(f => f.Severity == Severity.Error && f.Subject == "hotdash-chatwoot/app");
        config.Should().Contain(f => f.Location.EndsWith("samples/fly/chatwoot/fly.toml:30") && f.Message.Contains("auto_stop_machines = \"stop\""));
        config.Should().Contain(f => f.Location.EndsWith("samples/fly/chatwoot/fly.toml:32") && f.Message.Contains("may scale down to 0 running machine(s)"));

        var live = findings.Single(f => f.RuleId == "HD7006");
        live.Severity.Should().Be(Severity.Error, "one web machine is started and two are required");
        live.Location.Should().EndWith("samples/fly/chatwoot/machines.json");
        live.Evidence.Should().Contain("started in the primary region iad: 1; required: 2");
    }
}
