using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit;

/// <summary>Everything one audit run produced: per-concern results for the suite's test cases, and the report.</summary>
public sealed record AuditOutcome(RulesFile Rules, AuditReport Report, RlsAuditResult? Rls, Fly.FlyAuditResult? Fly, StructuredOutputs.StructuredOutputAuditResult? StructuredOutputs)
{
    /// <summary>What the API roles can do, in one line (the database audit's), or null when the database was not audited.</summary>
    public string? AccessSummary { get; init; }

    public IReadOnlyList<Finding> Findings => Report.Findings;

    /// <summary>The files <see cref="AuditRunner.RunAndReportAsync"/> wrote: the Markdown and JSON report, the effective rules, and SARIF when asked for.</summary>
    public IReadOnlyList<string> ReportPaths { get; init; } = [];

    /// <summary>Why a concern was not audited, or null when it was.</summary>
    public NotAudited? NotAuditedReason(string concern) => Report.NotAudited.FirstOrDefault(n => n.Concern == concern);
}

/// <summary>
/// Runs every configured audit once and assembles the evidence report. Order: the rules are validated before any
/// audit acts (the connection to a live database, read-only, opens meanwhile); then the database (live, or the
/// migrations on a disposable one), Fly, structured-output types, latency; then the comparison with the last report.
/// </summary>
public static class AuditRunner
{
    /// <summary>The not-audited concern of the database (live or migrations).</summary>
    public const string DatabaseConcern = "database";

    /// <summary>HOTDASH_DATABASE_URL, when HOTDASH_MIGRATIONS is set too: asked for, and not audited in that run.</summary>
    public const string LiveDatabaseConcern = "live database";

    public const string FlyMachinesConcern = "fly-machines";

    public const string BaselineConcern = "baseline";

    /// <summary>
    /// Runs the audit and writes its evidence: compliance-report.md and .json in the report folder (the Markdown
    /// appended to the step summary too), the effective rules beside them, and SARIF where the settings ask for it.
    /// </summary>
    public static async Task<AuditOutcome> RunAndReportAsync(AuditSettings settings, CancellationToken cancellationToken = default)
    {
        var outcome = await RunAsync(settings, cancellationToken).ConfigureAwait(false);
        var (markdown, json) = ReportWriter.Write(outcome.Report, settings.ReportDirectory, settings.StepSummary);
        var effectiveRules = outcome.Rules.WriteEffectiveRules(settings.ReportDirectory, settings.RepoRoot);
        return outcome with
        {
            ReportPaths = settings.Sarif is { } sarif
                ? [markdown, json, effectiveRules, SarifWriter.Write(outcome.Report, sarif, settings.RepoRoot)]
                : [markdown, json, effectiveRules],
        };
    }

    /// <summary>Runs every configured audit once; writes nothing but what an audit itself produces (latency charts).</summary>
    public static async Task<AuditOutcome> RunAsync(AuditSettings settings, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;

        // Connecting depends only on the target, not on the rules: it starts first and runs while the rules file is
        // read and validated, so a fresh process pays for the two at once. The connection only reads.
        var connection = Connect(settings, cancellationToken);
        RulesFile rules;
        try
        {
            rules = (settings.RulesPath is null ? RulesFile.BeginBuiltIn() : RulesFile.BeginLoad(settings.RulesPath)).Validated();
        }
        catch
        {
            await connection.AbandonAsync().ConfigureAwait(false);
            throw;
        }

        var run = new Run(settings, rules.Document);
        await run.DatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
        run.Fly();
        run.StructuredOutputs();
        await run.LatencyAsync(cancellationToken).ConfigureAwait(false);
        var since = run.CompareWithBaseline();
        run.RelativeLocations();

        var report = new AuditReport(started, DateTimeOffset.UtcNow, run.Relative(rules.Origin), rules.Sha256, run.Targets, run.Summary, run.Findings, run.NotAudited, run.RoundTrips, since);
        return new AuditOutcome(rules, report, run.Rls, run.FlyResult, run.StructuredResult) { AccessSummary = run.AccessSummary };
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

    /// <summary>One run's results as the audits add them.</summary>
    private sealed class Run(AuditSettings settings, RulesDocument rules)
    {
        public List<Finding> Findings { get; } = [];

        public List<string> Summary { get; } = [];

        public List<NotAudited> NotAudited { get; } = [];

        public List<string> Targets { get; } = [];

        public int RoundTrips { get; private set; }

        public RlsAuditResult? Rls { get; private set; }

        public string? AccessSummary { get; private set; }

        public Fly.FlyAuditResult? FlyResult { get; private set; }

        public StructuredOutputs.StructuredOutputAuditResult? StructuredResult { get; private set; }

        private static readonly IReadOnlyList<string> MigrationsAndDatabase = [MigrationApplier.Concern, .. DatabaseAudit.Concerns];

        public async Task DatabaseAsync(PendingConnection connection, CancellationToken cancellationToken)
        {
            if (settings.Migrations is not null)
            {
                if (settings.DatabaseUrl is not null)
                {
                    // Both set: the user asked for a live audit this run does not do. Say so as a failure, not a footnote.
                    NotAudited.Add(new NotAudited(LiveDatabaseConcern, "HOTDASH_DATABASE_URL was not audited: HOTDASH_MIGRATIONS is set, and this run audits the migrations on a disposable database. Audit the live database in a run of its own (unset HOTDASH_MIGRATIONS there).", true, []));
                }

                await MigrationsAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (settings.DatabaseUrl is null)
            {
                NotAudited.Add(new NotAudited(DatabaseConcern, "HOTDASH_DATABASE_URL is not set: RLS coverage, view security, API access and the database provider were not audited", false, DatabaseAudit.Concerns));
            }
            else if (connection.Target is null)
            {
                NotAudited.Add(new NotAudited(DatabaseConcern, connection.Error!, true, DatabaseAudit.Concerns));
            }
            else
            {
                await LiveDatabaseAsync(connection.Target, connection.Opening!, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task MigrationsAsync(CancellationToken cancellationToken)
        {
            try
            {
                var migrations = await MigrationsAudit.RunAsync(
                    settings.Migrations!, settings.Seed, settings.DisposableServer, settings.RepoRoot, rules,
                    settings.ConnectTimeout, settings.StatementTimeout, cancellationToken).ConfigureAwait(false);
                Targets.Add($"migrations {Relative(settings.Migrations!)} on {migrations.Origin}");
                Findings.AddRange(migrations.Findings);
                Summary.Add(migrations.Applied.Summary);
                RoundTrips = migrations.RoundTrips;
                if (migrations.Database is { } result)
                {
                    Rls = result.Rls;
                    AccessSummary = result.AccessSummary;
                    Summary.Add(result.Rls.Summary);
                    Summary.Add(result.AccessSummary);
                }
                else
                {
                    var why = migrations.Applied.Failure is { } failure
                        ? $"the migrations did not apply ({failure.Location}: {failure.Message}), so the database was not audited"
                        : "no migration was applied, so the database was not audited";
                    NotAudited.Add(new NotAudited(DatabaseConcern, why, true, DatabaseAudit.Concerns));
                }
            }
            catch (Exception e) when (e is DisposableServerException or DatabaseUnreachableException)
            {
                NotAudited.Add(new NotAudited(DatabaseConcern, $"HOTDASH_MIGRATIONS: {e.Message}", true, MigrationsAndDatabase));
            }
        }

        private async Task LiveDatabaseAsync(DatabaseTarget target, Task<AuditSession> opening, CancellationToken cancellationToken)
        {
            Targets.Add(target.Display);
            try
            {
                var session = await opening.ConfigureAwait(false);
                try
                {
                    var result = await DatabaseAudit.RunAsync(session, rules, cancellationToken).ConfigureAwait(false);
                    Rls = result.Rls;
                    AccessSummary = result.AccessSummary;
                    Findings.AddRange(result.Findings);
                    Summary.Add(result.Rls.Summary);
                    Summary.Add(result.AccessSummary);
                    Summary.Add($"Database provider: {(result.Provider.Fails ? "violation" : "as declared")} ({rules.Database.Provider ?? "none declared"})");
                }
                finally
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                    RoundTrips = session.RoundTrips;
                }
            }
            catch (DatabaseUnreachableException e)
            {
                NotAudited.Add(new NotAudited(DatabaseConcern, target.Mask(e.Message), true, DatabaseAudit.Concerns));
            }
        }

        public void Fly()
        {
            if (rules.Fly.Apps.Count == 0)
            {
                return;
            }

            var snapshots = Audit.Fly.MachinesSnapshotSource.FromSetting(settings.FlyMachinesFiles);
            var machines = Audit.Fly.FlyMemoryAudit.LoadSnapshots(rules, snapshots);
            foreach (var unreadable in machines.Unreadable)
            {
                NotAudited.Add(new NotAudited(FlyMachinesConcern, unreadable.Reason, true, []));
            }

            FlyResult = new Audit.Fly.FlyMemoryAudit().Run(rules, settings.RepoRoot, machines);
            Findings.AddRange(FlyResult.Findings);
            Summary.Add(FlyResult.Summary);
            Targets.Add($"fly.toml files under {Relative(settings.RepoRoot)}");
            Targets.AddRange(snapshots.Select(s => $"machines snapshot {(s.App is null ? string.Empty : s.App + "=")}{Relative(s.Path)}"));
            var warm = new Audit.Fly.FlyWarmCapacityAudit().Run(rules, settings.RepoRoot, machines.ByApp);
            if (warm.Count > 0)
            {
                Findings.AddRange(warm);
                var groups = warm.Select(f => f.About).Distinct().ToList();
                var cold = warm.Where(f => f.Fails).Select(f => f.About).Distinct().Count();
                Summary.Add($"Fly warm capacity: {groups.Count - cold}/{groups.Count} process groups keep their warm machines (fly.toml{(snapshots.Count > 0 ? " and live machines" : string.Empty)})");
            }

            if (snapshots.Count == 0)
            {
                NotAudited.Add(new NotAudited(FlyMachinesConcern, "HOTDASH_FLY_MACHINES is not set: live machines were not compared with fly.toml and the rules", false, []));
            }
        }

        public void StructuredOutputs()
        {
            if (rules.StructuredOutputs.Assemblies.Count == 0)
            {
                return;
            }

            StructuredResult = new Audit.StructuredOutputs.StructuredOutputTypeAudit().Run(rules, settings.RepoRoot);
            Findings.AddRange(StructuredResult.Findings);
            Summary.Add(StructuredResult.Summary);
            Targets.AddRange(rules.StructuredOutputs.Assemblies.Select(a => $"assembly {a}"));
        }

        public async Task LatencyAsync(CancellationToken cancellationToken)
        {
            if (rules.Latency.Endpoints.Count == 0)
            {
                return;
            }

            var latency = await Latency.LatencyAudit.RunAsync(rules, settings.Variable, settings.ReportDirectory, null, cancellationToken).ConfigureAwait(false);
            Findings.AddRange(latency.Findings);
            NotAudited.AddRange(latency.NotConfigured.Select(n => new NotAudited($"latency {n.Key}", n.Value, false, [Latency.LatencyAudit.Concern])));
            Summary.Add($"Latency: {latency.Findings.Count(f => !f.Fails)}/{latency.Findings.Count} endpoints within budget" +
                        (latency.NotConfigured.Count > 0 ? $"; {latency.NotConfigured.Count} not measured ({string.Join(", ", latency.NotConfigured.Keys)})" : string.Empty));
            Targets.AddRange(latency.Findings.Select(f => $"{f.Subject} at {f.Location}"));
        }

        /// <summary>
        /// Reports name repository files relative to the repository root, as code scanning and readers expect, and
        /// never a path of the machine that ran the audit: every location, message, evidence line and reason that
        /// names a file under the root names it from the root.
        /// </summary>
        public void RelativeLocations()
        {
            var root = Path.TrimEndingDirectorySeparator(settings.RepoRoot) + Path.DirectorySeparatorChar;
            string Strip(string text) => text.Replace(root, string.Empty, StringComparison.Ordinal);
            for (var i = 0; i < Findings.Count; i++)
            {
                var f = Findings[i];
                Findings[i] = f with
                {
                    Location = f.Location.StartsWith(root, StringComparison.Ordinal) ? f.Location[root.Length..].Replace('\\', '/') : Strip(f.Location),
                    Message = Strip(f.Message),
                    Evidence = f.Evidence.Select(Strip).ToList(),
                };
            }

            for (var i = 0; i < NotAudited.Count; i++)
            {
                NotAudited[i] = NotAudited[i] with { Reason = Strip(NotAudited[i].Reason) };
            }
        }

        public BaselineComparison? CompareWithBaseline()
        {
            if (settings.BaselineReport is null)
            {
                return null;
            }

            try
            {
                var baseline = Baseline.Load(settings.BaselineReport);
                for (var i = 0; i < Findings.Count; i++)
                {
                    if (Findings[i].Concern == Latency.LatencyAudit.Concern && baseline.LatencyChange(Findings[i]) is { } change)
                    {
                        Findings[i] = Findings[i] with { Evidence = [.. Findings[i].Evidence, change] };
                    }
                }

                var since = baseline.Compare(Findings, NotAudited);
                Summary.Add(since.Summary);
                return since;
            }
            catch (BaselineException e)
            {
                NotAudited.Add(new NotAudited(BaselineConcern, e.Message, true, []));
                return null;
            }
        }

        /// <summary>A path as the report shows it: relative to the repository root when under it.</summary>
        public string Relative(string path)
        {
            if (!Path.IsPathRooted(path))
            {
                return path;
            }

            var relative = Path.GetRelativePath(settings.RepoRoot, path).Replace('\\', '/');
            return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
        }
    }
}
