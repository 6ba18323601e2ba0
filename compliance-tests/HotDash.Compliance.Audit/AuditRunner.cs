using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit;

/// <summary>Everything one audit run produced: per-concern results for the suite's test cases, and the report.</summary>
public sealed record AuditOutcome(RulesFile Rules, AuditReport Report, RlsAuditResult? Rls, string? DatabaseError, Fly.FlyAuditResult? Fly, StructuredOutputs.StructuredOutputAuditResult? StructuredOutputs)
{
    public IReadOnlyList<Finding> Findings => Report.Findings;
}

/// <summary>Runs every configured audit against the target once and assembles the evidence report.</summary>
public static class AuditRunner
{
    public static async Task<AuditOutcome> RunAsync(AuditSettings settings, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var rules = settings.RulesPath is null ? RulesFile.BuiltIn() : RulesFile.Load(settings.RulesPath);
        var findings = new List<Finding>();
        var summary = new List<string>();
        var skipped = new List<SkippedConcern>();
        var targets = new List<string>();
        RlsAuditResult? rls = null;
        string? databaseError = null;
        var roundTrips = 0;

        if (settings.DatabaseUrl is null)
        {
            skipped.Add(new SkippedConcern("database", "HOTDASH_DATABASE_URL is not set: RLS coverage, view security, API access and the database provider were not audited"));
        }
        else
        {
            DatabaseTarget? target = null;
            try
            {
                target = DatabaseTarget.Parse(settings.DatabaseUrl);
                targets.Add(target.Display);
                var session = await AuditSession.OpenAsync(target, settings.ConnectTimeout, settings.StatementTimeout, cancellationToken).ConfigureAwait(false);
                try
                {
                    var result = await DatabaseAudit.RunAsync(session, rules.Document, cancellationToken).ConfigureAwait(false);
                    rls = result.Rls;
                    findings.AddRange(result.Findings);
                    summary.Add(rls.Summary);
                    summary.Add(result.AccessSummary);
                    summary.Add($"Database provider: {(result.Provider.Fails ? "violation" : "as declared")} ({rules.Document.Database.Provider ?? "none declared"})");
                }
                finally
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                    roundTrips = session.RoundTrips;
                }
            }
            catch (Exception e) when (e is DatabaseTargetException or DatabaseUnreachableException)
            {
                databaseError = target is null ? $"HOTDASH_DATABASE_URL: {e.Message}" : target.Mask(e.Message);
                skipped.Add(new SkippedConcern("database", databaseError));
            }
        }

        Fly.FlyAuditResult? fly = null;
        if (rules.Document.Fly.Apps.Count > 0)
        {
            var snapshots = Fly.MachinesSnapshotSource.FromSetting(settings.FlyMachinesFiles);
            fly = new Fly.FlyMemoryAudit().Run(rules.Document, settings.RepoRoot, snapshots);
            findings.AddRange(fly.Findings);
            summary.Add(fly.Summary);
            targets.Add($"fly.toml files under {settings.RepoRoot}");
            targets.AddRange(snapshots.Select(s => $"machines snapshot {(s.App is null ? string.Empty : s.App + "=")}{s.Path}"));
            if (snapshots.Count == 0)
            {
                skipped.Add(new SkippedConcern("fly-machines", "HOTDASH_FLY_MACHINES is not set: live machines were not compared with fly.toml and the rules"));
            }
        }

        StructuredOutputs.StructuredOutputAuditResult? structured = null;
        if (rules.Document.StructuredOutputs.Assemblies.Count > 0)
        {
            structured = new StructuredOutputs.StructuredOutputTypeAudit().Run(rules.Document, settings.RepoRoot);
            findings.AddRange(structured.Findings);
            summary.Add(structured.Summary);
            targets.AddRange(rules.Document.StructuredOutputs.Assemblies.Select(a => $"assembly {a}"));
        }

        var report = new AuditReport(started, DateTimeOffset.UtcNow, rules.Origin, rules.Sha256, targets, summary, findings, skipped, roundTrips);
        return new AuditOutcome(rules, report, rls, databaseError, fly, structured);
    }
}
