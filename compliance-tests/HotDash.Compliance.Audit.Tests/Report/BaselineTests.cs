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
        var reports = Directory.CreateTempSubdirectory("hotdash-baseline-run-").FullName;
        var settings = AuditSettings.FromVariables(name => name switch
        {
            "HOTDASH_REPO_ROOT" => Repository.PathOf("samples"),
            "HOTDASH_RULES" => Repository.PathOf("samples", "hotdash.rules.json"),
            "HOTDASH_REPORT_DIR" => reports,
            "HOTDASH_BASELINE_REPORT" => baseline,
            "HOTDASH_DATABASE_URL" => "postgres://auditor:s3cr3t-Pa55@127.0.0.1:1/hotdash",
            "HOTDASH_CONNECT_TIMEOUT_SECONDS" => "2",
            _ => null,
        });
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
        var path = Write(new Finding("HD8001", Severity.Error, "latency", "endpoint tiles", "https://staging", "slow", ["20 sequential GET requests", "p50 409 ms, p95 617 ms, max 640 ms, avg 450 ms"]));
        var now = new Finding("HD8001", Severity.Pass, "latency", "endpoint tiles", "https://staging", "fast", ["20 sequential GET requests", "p50 120 ms, p95 212 ms, max 260 ms, avg 130 ms"]);
        Baseline.Load(path).LatencyChange(now).Should().Be("since the last audit (2026-11-23T13:00:00.0000000+00:00): p50 409 → 120 ms (-289), p95 617 → 212 ms (-405), max 640 → 260 ms (-380)");
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
        var reports = Directory.CreateTempSubdirectory("hotdash-baseline-run-").FullName;
        var settings = AuditSettings.FromVariables(name => name switch
        {
            "HOTDASH_REPO_ROOT" => Repository.PathOf("samples"),
            "HOTDASH_RULES" => Repository.PathOf("samples", "hotdash.rules.json"),
            "HOTDASH_REPORT_DIR" => reports,
            "HOTDASH_BASELINE_REPORT" => baseline,
            _ => null,
        });
        var outcome = await AuditRunner.RunAsync(settings, TestContext.Current.CancellationToken);
        outcome.Report.SinceBaseline!.Fixed.Should().Equal("HD7004 gone/app");
        outcome.Report.SinceBaseline.Persisting.Should().Contain("HD7001 hotdash-chatwoot/worker");
        var (markdown, json) = ReportWriter.Write(outcome.Report, reports, null);
        File.ReadAllText(markdown).Should().Contain("## Since the last audit").And.Contain("- **Fixed** (1): HD7004 gone/app");
        File.ReadAllText(json).Should().Contain("\"sinceBaseline\"").And.Contain("\"fixed\"");
    }
}
