using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Migrations;
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

        // Connecting depends only on the target, not on the rules: it starts first and runs while the
        // rules file is read, so a fresh process pays for the two at once.
        var connection = Connect(settings, cancellationToken);
        PendingRulesFile pending;
        try
        {
            pending = settings.RulesPath is null ? RulesFile.BeginBuiltIn() : RulesFile.BeginLoad(settings.RulesPath);
        }
        catch
        {
            await connection.AbandonAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            var outcome = await RunAsync(settings, pending.Unvalidated, connection, started, cancellationToken).ConfigureAwait(false);

            // The schema's verdict gates the report: an invalid file yields its problems, never an audit.
            pending.Validated();
            return outcome;
        }
        catch (Exception) when (Invalid(pending) is { } invalid)
        {
            // Whatever an invalid file made the audit do, the file is the cause to report.
            throw invalid;
        }
    }

    private static RulesFileException? Invalid(PendingRulesFile pending)
    {
        try
        {
            pending.Validated();
            return null;
        }
        catch (RulesFileException e)
        {
            return e;
        }
    }

    private static PendingConnection Connect(AuditSettings settings, CancellationToken cancellationToken)
    {
        if (settings.DatabaseUrl is null || settings.Migrations is not null)
        {
            return new PendingConnection(null, null, null);
        }

        try
        {
            var target = DatabaseTarget.Parse(settings.DatabaseUrl);
            return new PendingConnection(target, AuditSession.OpenAsync(target, settings.ConnectTimeout, settings.StatementTimeout, cancellationToken), null);
        }
        catch (DatabaseTargetException e)
        {
            return new PendingConnection(null, null, $"HOTDASH_DATABASE_URL: {e.Message}");
        }
    }

    /// <summary>A connection being opened for the audit, or why there is none.</summary>
    private sealed record PendingConnection(DatabaseTarget? Target, Task<AuditSession>? Opening, string? Error)
    {
        /// <summary>Closes the session if it opened, when the audit will not use it.</summary>
        public async Task AbandonAsync()
        {
            try
            {
                if (Opening is not null)
                {
                    await (await Opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is DatabaseUnreachableException or OperationCanceledException)
            {
                // It never opened: nothing to close.
            }
        }
    }

    private static async Task<AuditOutcome> RunAsync(AuditSettings settings, RulesFile rules, PendingConnection connection, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var summary = new List<string>();
        var skipped = new List<SkippedConcern>();
        var targets = new List<string>();
        RlsAuditResult? rls = null;
        string? databaseError = null;
        var roundTrips = 0;

        if (settings.Migrations is not null)
        {
            if (settings.DatabaseUrl is not null)
            {
                summary.Add("HOTDASH_DATABASE_URL was not audited: HOTDASH_MIGRATIONS is set, and this run audits the migrations on a disposable database (audit the live database in a run of its own)");
            }

            try
            {
                var migrations = await MigrationsAudit.RunAsync(
                    settings.Migrations, settings.Seed, settings.DisposableDatabaseUrl, settings.RepoRoot, rules.Document,
                    settings.ConnectTimeout, settings.StatementTimeout, cancellationToken).ConfigureAwait(false);
                targets.Add($"migrations {Path.GetRelativePath(settings.RepoRoot, settings.Migrations)} on {migrations.Origin}");
                findings.AddRange(migrations.Findings);
                summary.Add(migrations.Applied.Summary);
                roundTrips = migrations.RoundTrips;
                if (migrations.Database is { } result)
                {
                    rls = result.Rls;
                    summary.Add(rls.Summary);
                    summary.Add(result.AccessSummary);
                }
                else
                {
                    databaseError = $"the migrations did not apply ({migrations.Applied.Failure!.Location}), so the database was not audited";
                    skipped.Add(new SkippedConcern("database", databaseError));
                }
            }
            catch (Exception e) when (e is DisposableServerException or DatabaseUnreachableException)
            {
                databaseError = $"HOTDASH_MIGRATIONS: {e.Message}";
                skipped.Add(new SkippedConcern("database", databaseError));
            }
        }
        else if (settings.DatabaseUrl is null)
        {
            skipped.Add(new SkippedConcern("database", "HOTDASH_DATABASE_URL is not set: RLS coverage, view security, API access and the database provider were not audited"));
        }
        else if (connection.Target is null)
        {
            databaseError = connection.Error;
            skipped.Add(new SkippedConcern("database", databaseError!));
        }
        else
        {
            var target = connection.Target;
            try
            {
                targets.Add(target.Display);
                var session = await connection.Opening!.ConfigureAwait(false);
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
            catch (DatabaseUnreachableException e)
            {
                databaseError = target.Mask(e.Message);
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
            var warm = new Fly.FlyWarmCapacityAudit().Run(rules.Document, settings.RepoRoot, Fly.FlyMemoryAudit.LoadSnapshots(rules.Document, snapshots, []));
            if (warm.Count > 0)
            {
                findings.AddRange(warm);
                var groups = warm.Select(f => f.Subject).Distinct().ToList();
                var cold = warm.Where(f => f.Fails).Select(f => f.Subject).Distinct().Count();
                summary.Add($"Fly warm capacity: {groups.Count - cold}/{groups.Count} process groups keep their warm machines (fly.toml{(snapshots.Count > 0 ? " and live machines" : string.Empty)})");
            }

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

        if (rules.Document.Latency.Endpoints.Count > 0)
        {
            var latency = await Latency.LatencyAudit.RunAsync(rules.Document, Environment.GetEnvironmentVariable, settings.ReportDirectory, null, cancellationToken).ConfigureAwait(false);
            findings.AddRange(latency.Findings);
            skipped.AddRange(latency.NotConfigured.Select(n => new SkippedConcern($"latency {n.Key}", n.Value)));
            var measured = latency.Findings.Count;
            summary.Add($"Latency: {latency.Findings.Count(f => !f.Fails)}/{measured} endpoints within budget" +
                        (latency.NotConfigured.Count > 0 ? $"; {latency.NotConfigured.Count} not measured ({string.Join(", ", latency.NotConfigured.Keys)})" : string.Empty));
            targets.AddRange(latency.Findings.Select(f => $"{f.Subject} at {f.Location}"));
        }

        // Reports name repository files relative to the repository root, as code scanning and readers expect.
        var root = Path.TrimEndingDirectorySeparator(settings.RepoRoot) + Path.DirectorySeparatorChar;
        for (var i = 0; i < findings.Count; i++)
        {
            if (findings[i].Location.StartsWith(root, StringComparison.Ordinal))
            {
                findings[i] = findings[i] with { Location = findings[i].Location[root.Length..].Replace('\\', '/') };
            }
        }

        BaselineComparison? since = null;
        if (settings.BaselineReport is not null)
        {
            try
            {
                var baseline = Baseline.Load(settings.BaselineReport);
                for (var i = 0; i < findings.Count; i++)
                {
                    if (findings[i].Concern == Latency.LatencyAudit.Concern && baseline.LatencyChange(findings[i]) is { } change)
                    {
                        findings[i] = findings[i] with { Evidence = [.. findings[i].Evidence, change] };
                    }
                }

                since = baseline.Compare(findings);
                summary.Add(since.Summary);
            }
            catch (BaselineException e)
            {
                skipped.Add(new SkippedConcern("baseline", e.Message));
            }
        }

        var report = new AuditReport(started, DateTimeOffset.UtcNow, rules.Origin, rules.Sha256, targets, summary, findings, skipped, roundTrips, since);
        return new AuditOutcome(rules, report, rls, databaseError, fly, structured);
    }
}
