using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.EndToEnd;

/// <summary>
/// The suite as users run it: `samples/run-audit.sh` (disposable PostgreSQL, Supabase-style migrations,
/// `dotnet test` of samples/HotDash.Compliance.Checks, the suite as the template creates it), and the Monday/Thursday mode with no target.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(RepositoryBuilds.Name)]
public sealed class SuiteRunTests
{
    [Fact]
    public void The_sample_audit_fails_on_the_table_without_rls_the_always_true_policy_and_the_callable_definer_function_and_leaves_the_evidence()
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-sample-report-").FullName;
        var stepSummary = Path.Combine(reports, "step-summary.md");
        var run = ProcessRunner.Run("bash", Repository.Root, TimeSpan.FromMinutes(8),
            new Dictionary<string, string?> { ["HOTDASH_REPORT_DIR"] = reports, ["GITHUB_STEP_SUMMARY"] = stepSummary },
            Repository.PathOf("samples", "run-audit.sh"));

        run.ExitCode.Should().NotBe(0, "the sample carries a table without RLS, API exposures and an undersized Chatwoot worker");
        foreach (var table in new[] { "shops", "operators", "tickets", "conversations", "agent_runs", "decisions" })
        {
            run.Output.Should().Contain($"Passed HotDash.Compliance.Checks.Database.Table_has_row_level_security(table: \"public.{table}\")");
        }

        run.Output.Should().Contain("Failed HotDash.Compliance.Checks.Database.Table_has_row_level_security(table: \"public.inventory_alerts\")");
        run.Output.Should().Contain("Rls_coverage_is_complete(summary: \"RLS coverage: 6/7 tables (86%)\")");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.Database.Database_is_the_declared_provider");
        run.Output.Should().Contain("Failed HotDash.Compliance.Checks.Database.Api_roles_cannot_change_or_read_every_row(table: \"public.decisions\")");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.Database.Api_roles_cannot_change_or_read_every_row(table: \"public.tickets\")");
        run.Output.Should().Contain("Failed HotDash.Compliance.Checks.Database.Function_cannot_be_called_with_owner_rights(function: \"public.silence_inventory_alerts(p_shop_id bigint)\")");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.Database.Function_cannot_be_called_with_owner_rights(function: \"public.operator_shop_ids()\")");
        run.Output.Should().Contain($"Evidence report: {reports}/compliance-report.md");
        run.Output.Should().NotContain("at HotDash.Compliance.Suite.", "a failure shows the finding, not the suite's own stack frames");
        run.Output.Should().NotContain("at Xunit.", "nor xUnit's");

        // The run ends with the one-screen summary: the last test result, after every check.
        var results = Regex.Matches(run.Output, @"^\s+(Passed|Failed|Skipped) HotDash\.Compliance\.Checks\.(\S+?)[ (]", RegexOptions.Multiline).Select(m => m.Groups[2].Value).ToList();
        results.Should().HaveCountGreaterThan(30).And.EndWith("Summary.Audit_passes");
        var summary = run.Output[run.Output.LastIndexOf("Failed HotDash.Compliance.Checks.Summary.Audit_passes", StringComparison.Ordinal)..];
        summary.Should().Contain("HotDash compliance audit FAILED: 9 failing findings on 5 subjects")
            .And.Contain("FAIL rls: 6/7 pass; HD5001 table public.inventory_alerts")
            .And.Contain("FAIL fly-memory: 1/2 pass; HD7001,HD7002 hotdash-chatwoot/worker")
            .And.Contain("ok   provider: 1/1 pass")
            .And.Contain("ok   structured-outputs: 2/2 pass; warnings: HD2004 type HotDash.AgentService.Agent.AgentDecision")
            .And.Contain("skip latency tiles: TILES_URL is not set")
            .And.Contain($"evidence: {reports}/compliance-report.md")
            .And.Contain($"evidence: {reports}/effective-rules.json");
        summary.Split('\n').Length.Should().BeLessThan(60, "it fits on one screen");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "compliance-report.json")));
        var root = json.RootElement;
        DateTimeOffset.Parse(root.GetProperty("startedAt").GetString()!).Should().BeAfter(DateTimeOffset.UtcNow.AddHours(-1));
        root.GetProperty("rules").GetProperty("sha256").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        root.GetProperty("targets")[0].GetString().Should().StartWith("migrations supabase/migrations on a throwaway PostgreSQL on 127.0.0.1:");
        var database = Regex.Match(File.ReadAllText(Path.Combine(reports, "compliance-report.json")), "postgres://postgres@127\\.0\\.0\\.1:[0-9]+/hotdash_migrations_[0-9a-f]+").Value;
        database.Should().NotBeEmpty("findings name the disposable database they were found in");
        var errors = root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "error")
            .Select(f => $"{f.GetProperty("rule").GetString()} {f.GetProperty("subject").GetString()} @ {f.GetProperty("location").GetString()}").ToList();
        errors.Should().HaveCount(9);
        errors.Where(e => e.StartsWith("HD7005 hotdash-chatwoot/app @ ", StringComparison.Ordinal)).Should().HaveCount(2, "auto_stop_machines = \"stop\" is not allowed, and min_machines_running = 0 keeps none warm");
        // Located where the migrations wrote them (code scanning annotates those lines); the dropped database is evidence.
        errors.Should().Contain("HD5006 table public.decisions @ supabase/migrations/20260103000000_operator_tools.sql:6:1", "the CREATE POLICY statement");
        errors.Should().Contain(e => e.StartsWith("HD5008 function public.silence_inventory_alerts(p_shop_id bigint) @ "));
        errors.Should().NotContain(e => e.StartsWith("HD2002", StringComparison.Ordinal), "Microsoft.Extensions.AI sends every property as required: strict mode accepts AgentDecision");
        root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "warning")
            .Select(f => $"{f.GetProperty("rule").GetString()} {f.GetProperty("subject").GetString()} @ {f.GetProperty("location").GetString()}")
            .Should().ContainSingle(w => w.StartsWith("HD2004 type HotDash.AgentService.Agent.AgentDecision @ ") && w.EndsWith("at $.properties.Reason"), "in strict mode the model always fills Reason");
        errors.Should().Contain("HD5001 table public.inventory_alerts @ supabase/migrations/20260102000000_hotdash_core.sql:43:1", "the CREATE TABLE statement");
        root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "HD5001" && f.GetProperty("severity").GetString() == "error")
            .GetProperty("evidence").EnumerateArray().Select(e => e.GetString()).Should().Contain($"audited on {database} (table public.inventory_alerts)");
        var proofs = root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "error" && f.GetProperty("rule").GetString()!.StartsWith("HD50", StringComparison.Ordinal))
            .Select(f => f.GetProperty("message").GetString()!).ToList();
        proofs.Should().HaveCount(3).And.OnlyContain(m => m.Contains("Proved on the disposable database: "), "every exposure is proved by doing it");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.Database.Migration_applies(migration: \"supabase/migrations/20260103000000_operator_tools.");
        errors.Should().Contain("HD7001 hotdash-chatwoot/worker @ fly/chatwoot/fly.toml:40", "report paths are relative to the repository root (HOTDASH_REPO_ROOT)");
        errors.Should().Contain(e => e.StartsWith("HD7001 hotdash-chatwoot/worker @ machine d891394fe65358"));
        errors.Should().Contain(e => e.StartsWith("HD7001 hotdash-chatwoot/worker @ machine e2865047c14d98"));
        errors.Should().Contain(e => e.StartsWith("HD7002 hotdash-chatwoot/worker @ machine e2865047c14d98"));
        root.GetProperty("counts").GetProperty("pass").GetInt32().Should().Be(31,
            "two migrations that apply, six tables with RLS, five tables whose policies hold, the exempt policy helper, two exposed schemas, the provider, TicketSummary, " +
            "the web group's memory in fly.toml and on its machine, its started machine, AgentDecision (accepted, with its HD2004 warning), " +
            "and the attack simulation's seven tables and two functions (what got through is the static findings' proof)");
        var access = root.GetProperty("access").GetProperty("cells").EnumerateArray().ToList();
        access.Should().Contain(c => c.GetProperty("key").GetString() == "anon | read | table public.inventory_alerts" && c.GetProperty("outcome").GetString() == "allowed");
        access.Should().Contain(c => c.GetProperty("key").GetString() == "user B | update | table public.decisions" && c.GetProperty("outcome").GetString() == "allowed");
        access.Should().Contain(c => c.GetProperty("key").GetString() == "user B | read | table public.tickets" && c.GetProperty("outcome").GetString() == "denied");
        run.Output.Should().Contain("Failed HotDash.Compliance.Checks.Fly.Process_group_stays_warm(appAndGroup: \"hotdash-chatwoot/app\")");
        root.GetProperty("summary").EnumerateArray().Select(s => s.GetString()).Should().Contain(
            "API access: 1 table an API role can read or change in full through an always-true policy (HD5006); 1 function an API role can call with its owner's rights (HD5008) (roles anon, authenticated; exposed schemas public, graphql_public)");
        root.GetProperty("summary").EnumerateArray().Select(s => s.GetString()).Should().Contain("Fly memory: 1/2 process groups at their declared minimum (fly.toml and live machines)")
            .And.Contain("Fly warm capacity: 0/1 process groups keep their warm machines (fly.toml and live machines)");
        run.Output.Should().Contain("Failed HotDash.Compliance.Checks.Fly.Process_group_has_its_memory(appAndGroup: \"hotdash-chatwoot/worker\")");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.StructuredOutputs.Structured_output_type_is_accepted_by_strict_mode(type: \"HotDash.AgentService.Agent.AgentDecision\")");
        run.Output.Should().Contain("Passed HotDash.Compliance.Checks.StructuredOutputs.Structured_output_type_is_accepted_by_strict_mode(type: \"HotDash.AgentService.Agent.TicketSummary\")");
        root.GetProperty("summary").EnumerateArray().Select(s => s.GetString()).Should().Contain("Structured outputs: 2/2 types accepted by strict mode");

        // The sample's rules extend the canonical ones: the effective rules beside the report say what came from where.
        using var effective = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "effective-rules.json")));
        effective.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetString()![..s.GetString()!.IndexOf(' ')]).Should().Equal("hotdash.rules.json", "hotdash:canonical");
        effective.RootElement.GetProperty("provenance").GetProperty("/fly/apps/0/processes/0/minMemory").GetString().Should().Be("hotdash.rules.json:22:45", "the worker's 2048 MB is HotDash's own rule, in its rules file");
        effective.RootElement.GetProperty("provenance").GetProperty("/configuration/deprecatedKeys/0/key").GetString().Should().StartWith("hotdash:canonical:", "the deprecated key is the built-in rule");
        effective.RootElement.GetProperty("provenance").GetProperty("/fly/apps/0/processes/1/group").GetString().Should().StartWith("hotdash.rules.json:", "the web group is the sample's own");

        var markdown = File.ReadAllText(Path.Combine(reports, "compliance-report.md"));
        File.ReadAllText(stepSummary).Should().Contain(markdown);
        (markdown + root.GetRawText() + run.Output).Should().NotContainAny(["Password=", "password="], "connection strings are shown without their password");
    }

    [Fact]
    public void In_the_monday_thursday_mode_a_missing_target_fails_instead_of_skipping()
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-strict-report-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["HOTDASH_DATABASE_URL"] = null,
            ["HOTDASH_REPO_ROOT"] = Repository.PathOf("samples"),
            ["HOTDASH_RULES"] = Repository.PathOf("samples", "hotdash.rules.json"),
            ["HOTDASH_REPORT_DIR"] = reports,
        };
        var suite = Repository.PathOf("samples", "HotDash.Compliance.Checks");

        var lenient = ProcessRunner.Run("dotnet", Repository.Root, TimeSpan.FromMinutes(5), environment, "test", suite, "--logger", "console;verbosity=normal");
        lenient.Output.Should().Contain("Skipped HotDash.Compliance.Checks.Database.Database_is_the_declared_provider");
        lenient.Output.Should().Contain("Skipped HotDash.Compliance.Checks.Fly.Machines_snapshots_are_readable");

        environment["HOTDASH_AUDIT_REQUIRE_ALL"] = "1";
        var strict = ProcessRunner.Run("dotnet", Repository.Root, TimeSpan.FromMinutes(5), environment, "test", suite, "--no-build", "--logger", "console;verbosity=normal");
        strict.ExitCode.Should().NotBe(0);
        strict.Output.Should().Contain("Failed HotDash.Compliance.Checks.Database.Database_is_the_declared_provider");
        strict.Output.Should().Contain("database not audited: HOTDASH_DATABASE_URL is not set").And.Contain("(HOTDASH_AUDIT_REQUIRE_ALL=1)");
        strict.Output.Should().Contain("fly-machines not audited: HOTDASH_FLY_MACHINES is not set");
    }
}
