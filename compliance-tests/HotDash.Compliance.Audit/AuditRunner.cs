using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Concerns;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit;

/// <summary>Everything one audit run produced: per-concern results for the suite's test cases, and the report.</summary>
public sealed record AuditOutcome(RulesFile Rules, AuditReport Report, RlsAuditResult? Rls, Fly.FlyAuditResult? Fly, StructuredOutputs.StructuredOutputAuditResult? StructuredOutputs)
{
    /// <summary>What the repository scan read and found (HD1001, HD1002 in the files no analyzer sees).</summary>
    public Scan.RepositoryScanResult? Repository { get; init; }

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
/// audit acts (the connection to a live database, read-only, opens meanwhile); then each concern's audit in the one
/// shape (<see cref="IAudit{TDetail}"/>, in Concerns/): the database (live, or the migrations on a disposable one),
/// Fly, structured-output types, latency; then the comparison with the last report, and repository-relative paths.
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
        var connection = DatabaseConnection.Open(settings, cancellationToken);
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

        // Every audit in the one shape, in the report's order; each is given the validated rules and its target.
        var context = new AuditContext(settings, rules.Document);
        var run = new Run(context);
        var database = run.Add(await new DatabaseConcernAudit(connection).RunAsync(context, cancellationToken).ConfigureAwait(false));
        var fly = run.Add(await new FlyConcernAudit().RunAsync(context, cancellationToken).ConfigureAwait(false));
        var structuredOutputs = run.Add(await new StructuredOutputsConcernAudit().RunAsync(context, cancellationToken).ConfigureAwait(false));
        run.Add(await new LatencyConcernAudit().RunAsync(context, cancellationToken).ConfigureAwait(false));
        var repository = run.Add(await new RepositoryConcernAudit().RunAsync(context, cancellationToken).ConfigureAwait(false));
        var since = run.CompareWithBaseline(database?.Access);
        run.RelativeLocations();

        var report = new AuditReport(started, DateTimeOffset.UtcNow, context.Relative(rules.Origin), rules.Sha256, run.Targets, run.Summary, run.Findings, run.NotAudited, run.RoundTrips, since)
        {
            Access = database?.Access,
        };
        return new AuditOutcome(rules, report, database?.Rls, fly, structuredOutputs) { AccessSummary = database?.AccessSummary, Repository = repository };
    }

    /// <summary>One run's results as the audits return them, then compared with the last report and made relative.</summary>
    private sealed class Run(AuditContext context)
    {
        private AuditSettings Settings => context.Settings;

        public List<Finding> Findings { get; } = [];

        public List<string> Summary { get; } = [];

        public List<NotAudited> NotAudited { get; } = [];

        public List<string> Targets { get; } = [];

        public int RoundTrips { get; private set; }

        public TDetail? Add<TDetail>(AuditResult<TDetail> result)
            where TDetail : class
        {
            Findings.AddRange(result.Findings);
            Summary.AddRange(result.Summary);
            Targets.AddRange(result.Targets);
            NotAudited.AddRange(result.NotAudited);
            RoundTrips += result.RoundTrips;
            return result.Detail;
        }

        /// <summary>
        /// Reports name repository files relative to the repository root, as code scanning and readers expect, and
        /// never a path of the machine that ran the audit: every location, message, evidence line and reason that
        /// names a file under the root names it from the root.
        /// </summary>
        public void RelativeLocations()
        {
            var root = Path.TrimEndingDirectorySeparator(Settings.RepoRoot) + Path.DirectorySeparatorChar;
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

        public BaselineComparison? CompareWithBaseline(AccessMatrix? access)
        {
            if (Settings.BaselineReport is null)
            {
                return null;
            }

            try
            {
                var baseline = Baseline.Load(Settings.BaselineReport);
                for (var i = 0; i < Findings.Count; i++)
                {
                    if (Findings[i].Concern == Latency.LatencyAudit.Concern && baseline.LatencyChange(Findings[i]) is { } change)
                    {
                        Findings[i] = Findings[i] with { Evidence = [.. Findings[i].Evidence, change] };
                    }
                }

                var since = baseline.Compare(Findings, NotAudited, access);
                Summary.Add(since.Summary);
                return since;
            }
            catch (BaselineException e)
            {
                NotAudited.Add(new NotAudited(BaselineConcern, e.Message, true, []));
                return null;
            }
        }
    }
}
