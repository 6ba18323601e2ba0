using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using HotDash.Compliance.Audit;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

// Usage: AccessAudit <database url> <rules file> <report directory> [--phases]
// Without --phases: one AuditRunner run, as the suite does it, and the report's own duration
// (startedAt to finishedAt). With --phases: the same work step by step, each step timed, to show where a
// fresh process spends its time. Run it in a fresh process each time: that is what is measured.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: AccessAudit <database url> <rules file> <report directory> [--phases]");
    return 2;
}

var (url, rulesPath, reports) = (args[0], args[1], args[2]);
var process = Stopwatch.StartNew();
if (args.Length > 3 && args[3] == "--phases")
{
    var clock = Stopwatch.StartNew();
    TimeSpan Lap()
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }

    var rules = RulesFile.Load(rulesPath);
    var load = Lap();
    var target = DatabaseTarget.Parse(url);
    await using var session = await AuditSession.OpenAsync(target, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
    var open = Lap();
    var snapshot = await CatalogReader.ReadAsync(session, rules.Document);
    var read = Lap();
    var result = DatabaseAudit.Judge(snapshot, target, rules.Document);
    var judge = Lap();
    var report = new AuditReport(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, rules.Origin, rules.Sha256, [target.Display], [result.Rls.Summary, result.AccessSummary], result.Findings, [], session.RoundTrips);
    ReportWriter.Write(report, reports, null);
    var write = Lap();
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        rulesMs = load.TotalMilliseconds,
        openMs = open.TotalMilliseconds,
        catalogMs = read.TotalMilliseconds,
        judgeMs = judge.TotalMilliseconds,
        reportMs = write.TotalMilliseconds,
        relations = snapshot.Relations.Count,
        policies = snapshot.Policies.Count,
        functions = snapshot.Functions.Count,
        findings = result.Findings.Count,
    }));
    return 0;
}

var settings = new AuditSettings { DatabaseUrl = url, RulesPath = rulesPath, RepoRoot = reports, ReportDirectory = reports, StatementTimeout = TimeSpan.FromSeconds(60) };
var outcome = await AuditRunner.RunAsync(settings);
ReportWriter.Write(outcome.Report, reports, null);
if (outcome.NotAuditedReason(AuditRunner.DatabaseConcern) is { } notAudited)
{
    Console.Error.WriteLine(notAudited.Reason);
    return 1;
}

var audit = outcome.Report.FinishedAt - outcome.Report.StartedAt;
Console.WriteLine(JsonSerializer.Serialize(new
{
    reportMs = audit.TotalMilliseconds,
    processMs = process.Elapsed.TotalMilliseconds,
    roundTrips = outcome.Report.DatabaseRoundTrips,
    findings = outcome.Findings.Count,
}));
return 0;
