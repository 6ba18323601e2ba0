using System.Collections.Generic;
using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit.Tests.Report;

/// <summary>HOTDASH_BASELINE_REPORT: what is new, fixed and persisting since the last audit, and how latency moved.</summary>
public class BaselineTests
{
    private static Finding Error(string rule, string subject, string location = "somewhere", params string[] evidence) =>
        new(rule, Severity.Error, "concern", subject, location, "message", evidence);

    private static Finding Failing(string rule, string concern, string subject) => new(rule, Severity.Error, concern, subject, "somewhere", "message", []);

    /// <summary>The settings of an audit of the sample's fly.toml and types with this baseline, and its report folder.</summary>
    private static (AuditSettings Settings, string Reports) OnTheSample(string baseline, Dictionary<string, string> more)
    {
        var reports = Directory.CreateTempSubdirectory("hotdash-baseline-run-").FullName;
        var variables = new Dictionary<string, string>(more)
        {
            ["HOTDASH_REPO_ROOT"] = Repository.PathOf("samples"),
            ["HOTDASH_RULES"] = Repository.PathOf("samples", "hotdash.rules.json"),
            ["HOTDASH_REPORT_DIR"] = reports,
            ["HOTDASH_BASELINE_REPORT"] = baseline,
        };
        return (AuditSettings.FromVariables(name => variables.GetValueOrDefault(name)), reports);
    }

    private static string Write(params Finding[] findings)
    {
        var directory = Directory.CreateTempSubdirectory("hotdash-baseline-").FullName;
        var report = new AuditReport(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow, "rules.json", new string('0', 64), [], [], findings, [], 0);
        return ReportWriter.Write(report, directory, null).Json;
    }

    [Fact]
    public void Failing_findings_are_new_fixed_or_persisting_by_rule_and_subject_whatever_their_location()
    {
        var path = Write(Error("HD5001", "table public.a", "postgres://x@127.0.0.1:40000/hotdash_migrations_1"), Error("HD7001", "chatwoot/worker"));
        var baseline = Baseline.Load(path);
        var since = baseline.Compare([Error("HD5001", "table public.a", "postgres://x@127.0.0.1:51234/hotdash_migrations_2"), Error("HD5006", "table public.b")], []);

        since.New.Should().Equal("HD5006 table public.b");
        since.Fixed.Should().Equal("HD7001 chatwoot/worker");
        since.Persisting.Should().Equal("HD5001 table public.a");
        since.Summary.Should().Be("Since the last audit (2026-11-23T13:00:00.0000000+00:00): 1 new, 1 fixed, 1 persisting");
    }

    [Fact]
    public void A_finding_whose_concern_was_not_audited_again_is_never_fixed()
    {
        var path = Write(Failing("HD5001", "rls", "table public.a"), Failing("HD5008", "functions", "function public.f()"), Failing("HD7001", "fly-memory", "chatwoot/worker"));
        var notAudited = new NotAudited("database", "could not connect", true, ["rls", "functions"]);
        var since = Baseline.Load(path).Compare([], [notAudited]);

        since.Fixed.Should().Equal("HD7001 chatwoot/worker");
        since.NotAuditedAgain.Should().Equal("HD5001 table public.a", "HD5008 function public.f()");
        since.Summary.Should().EndWith("0 new, 1 fixed, 0 persisting, 2 not audited again");
    }

    [Fact]
    public async Task A_database_the_audit_never_reached_fails_and_fixes_nothing()
    {
        // The adopter's case: the last report had database findings; today's password is wrong.
        var baseline = Write(Failing("HD5001", "rls", "table public.a"), Failing("HD6001", "provider", "database"));
        var (settings, reports) = OnTheSample(baseline, new() { ["HOTDASH_DATABASE_URL"] = "postgres://auditor:s3cr3t-Pa55@127.0.0.1:1/hotdash", ["HOTDASH_CONNECT_TIMEOUT_SECONDS"] = "2" });
        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);

        outcome.Report.Passed.Should().BeFalse();
        outcome.Report.SinceBaseline!.Fixed.Should().NotContain(f => f.StartsWith("HD5") || f.StartsWith("HD6"));
        outcome.Report.SinceBaseline.NotAuditedAgain.Should().Equal("HD5001 table public.a", "HD6001 database");
        var (markdown, json) = ReportWriter.Write(outcome.Report, reports, null);
        File.ReadAllLines(markdown)[0].Should().StartWith("# HotDash compliance audit: FAILED").And.Contain("database requested but not audited");
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("passed").GetBoolean().Should().BeFalse();
        report.RootElement.GetProperty("counts").GetProperty("notAuditedRequested").GetInt32().Should().Be(1);
        File.ReadAllText(markdown).Should().NotContain("s3cr3t-Pa55", "the password never appears");
    }

    [Fact]
    public void Latency_figures_are_compared_with_the_last_audits()
    {
        // By the figures the findings carry (metrics), not by reading them back out of the evidence text.
        static Dictionary<string, double> Figures(double p50, double p95, double max) => new() { ["p50"] = p50, ["p95"] = p95, ["max"] = max };
        var path = Write(new Finding("HD8001", Severity.Error, "latency", Subject.Endpoint("tiles"), "https://staging", "slow", ["20 sequential GET requests"]) { Metrics = Figures(409, 617, 640) });
        var now = new Finding("HD8001", Severity.Pass, "latency", Subject.Endpoint("tiles"), "https://staging", "fast", ["20 sequential GET requests"]) { Metrics = Figures(120, 212, 260) };
        Baseline.Load(path).LatencyChange(now).Should().Be("since the last audit (2026-11-23T13:00:00.0000000+00:00): p50 409 → 120 ms (-289), p95 617 → 212 ms (-405), max 640 → 260 ms (-380)");
    }

    [Fact]
    public void Findings_are_matched_by_their_key_and_a_report_from_before_keys_by_rule_and_subject()
    {
        var typed = new Finding("HD5001", Severity.Error, "rls", Subject.Table("public.a"), "somewhere", "message", []);
        typed.Key.Should().Be("HD5001 table public.a");
        var json = Write(typed);
        using (var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)))
        {
            var finding = written.RootElement.GetProperty("findings")[0];
            finding.GetProperty("key").GetString().Should().Be("HD5001 table public.a");
            finding.GetProperty("subjectKind").GetString().Should().Be("Table");
            finding.GetProperty("subjectName").GetString().Should().Be("public.a");
        }

        Baseline.Load(json).Compare([typed], []).Persisting.Should().Equal("HD5001 table public.a");

        // A report written before findings had keys: its rule and subject are the key.
        var old = Path.Combine(Path.GetDirectoryName(json)!, "old.json");
        File.WriteAllText(old, """{ "startedAt": "2026-11-01T13:00:00Z", "findings": [ { "rule": "HD5001", "severity": "error", "concern": "rls", "subject": "table public.a" } ] }""");
        Baseline.Load(old).Compare([typed], []).Persisting.Should().Equal("HD5001 table public.a");
    }

    [Fact]
    public void A_missing_or_foreign_baseline_is_said_and_changes_nothing_else()
    {
        var act = () => Baseline.Load("/nonexistent/compliance-report.json");
        act.Should().Throw<BaselineException>().WithMessage("*does not exist (HOTDASH_BASELINE_REPORT)*");
        var foreign = Path.Combine(Directory.CreateTempSubdirectory("hotdash-baseline-").FullName, "other.json");
        File.WriteAllText(foreign, "{ \"name\": \"not a report\" }");
        ((Action)(() => Baseline.Load(foreign))).Should().Throw<BaselineException>().WithMessage("*is not a compliance-report.json*");
    }

    [Fact]
    public async Task The_audit_puts_the_comparison_in_the_summary_the_json_and_the_markdown()
    {
        var baseline = Write(Error("HD7001", "hotdash-chatwoot/worker"), Error("HD7004", "gone/app"));
        var (settings, reports) = OnTheSample(baseline, []);
        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);
        outcome.Report.SinceBaseline!.Fixed.Should().Equal("HD7004 gone/app");
        outcome.Report.SinceBaseline.Persisting.Should().Contain("HD7001 hotdash-chatwoot/worker");
        var (markdown, json) = ReportWriter.Write(outcome.Report, reports, null);
        File.ReadAllText(markdown).Should().Contain("## Since the last audit").And.Contain("- **Fixed** (1): HD7004 gone/app");
        File.ReadAllText(json).Should().Contain("\"sinceBaseline\"").And.Contain("\"fixed\"");
    }
}
