using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>Writes compliance-report.md and compliance-report.json, and appends the Markdown to $GITHUB_STEP_SUMMARY.</summary>
public static class ReportWriter
{
    public const string MarkdownFile = "compliance-report.md";
    public const string JsonFile = "compliance-report.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static (string Markdown, string Json) Write(AuditReport report, string directory, string? stepSummaryPath)
    {
        Directory.CreateDirectory(directory);
        var markdownPath = Path.Combine(directory, MarkdownFile);
        var jsonPath = Path.Combine(directory, JsonFile);
        var markdown = ToMarkdown(report);
        File.WriteAllText(markdownPath, markdown);
        File.WriteAllText(jsonPath, ToJson(report));
        if (!string.IsNullOrWhiteSpace(stepSummaryPath))
        {
            File.AppendAllText(stepSummaryPath, markdown + Environment.NewLine);
        }

        return (markdownPath, jsonPath);
    }

    public static string ToJson(AuditReport report) => JsonSerializer.Serialize(
        new
        {
            startedAt = report.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            finishedAt = report.FinishedAt.ToString("O", CultureInfo.InvariantCulture),
            rules = new { file = report.RulesFile, sha256 = report.RulesSha256 },
            targets = report.Targets,
            summary = report.Summary,
            passed = report.Passed,
            verdict = report.Verdict,
            counts = Enum.GetValues<Severity>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => report.Findings.Count(f => f.Severity == s))
                .Append(new("notAuditedRequested", report.RequestedNotAudited.Count))
                .Append(new("notConfigured", report.NotAudited.Count - report.RequestedNotAudited.Count))
                .ToDictionary(),
            databaseRoundTrips = report.DatabaseRoundTrips,
            notAudited = report.NotAudited.Select(n => new { concern = n.Concern, reason = n.Reason, requested = n.Requested, covers = n.Covers }),
            sinceBaseline = report.SinceBaseline is { } b
                ? new { baseline = b.Source, baselineStartedAt = b.StartedAt, @new = b.New, @fixed = b.Fixed, persisting = b.Persisting, notAuditedAgain = b.NotAuditedAgain, accessChanged = b.AccessChanged, accessWidened = b.AccessWidened }
                : null,
            access = report.Access is { } matrix
                ? new
                {
                    identities = matrix.Identities,
                    cells = matrix.Cells.Select(c => new
                    {
                        key = c.Key,
                        identity = c.Identity,
                        relation = c.Relation.ToString(),
                        relationKind = c.Relation.Kind,
                        relationName = c.Relation.Name,
                        operation = c.Operation,
                        outcome = c.Outcome.ToString().ToLowerInvariant(),
                        attack = c.Attack,
                        unintended = c.Unintended,
                        intendedBecause = c.IntendedBecause,
                        detail = c.Detail,
                        statements = c.Statements,
                    }),
                }
                : null,
            findings = report.Findings.Select(f => new
            {
                rule = f.RuleId,
                key = f.Key,
                severity = f.Severity.ToString().ToLowerInvariant(),
                concern = f.Concern,
                subject = f.Subject,
                subjectKind = f.About.Kind,
                subjectName = f.About.Name,
                location = f.Location,
                message = f.Message,
                evidence = f.Evidence,
                chart = f.Chart,
                metrics = f.Metrics,
                policy = f.Policy,
                exemptBecause = f.ExemptBecause,
                help = f.HelpLink,
            }),
        },
        JsonOptions);

    public static string ToMarkdown(AuditReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# HotDash compliance audit: {report.Verdict}");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| started | {report.StartedAt.ToString("O", CultureInfo.InvariantCulture)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| finished | {report.FinishedAt.ToString("O", CultureInfo.InvariantCulture)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| rules | `{Cell(report.RulesFile)}` (SHA-256 `{report.RulesSha256}`) |");
        foreach (var target in report.Targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| target | `{Cell(target)}` |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| database round trips | {report.DatabaseRoundTrips} |");
        md.AppendLine();
        if (report.Summary.Count > 0)
        {
            md.AppendLine("## Summary");
            md.AppendLine();
            foreach (var line in report.Summary)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
            }

            md.AppendLine();
        }

        if (report.SinceBaseline is { } since)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Since the last audit ({Cell(since.StartedAt ?? since.Source)})");
            md.AppendLine();
            foreach (var (title, items) in new[] { ("New", since.New), ("Fixed", since.Fixed), ("Persisting", since.Persisting), ("Not audited again", since.NotAuditedAgain), ("Access widened", since.AccessWidened), ("Access changed", since.AccessChanged) })
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{title}** ({items.Count}){(items.Count == 0 ? string.Empty : ": " + string.Join("; ", items.Select(Cell)))}");
            }

            md.AppendLine();
        }

        if (report.NotAudited.Count > 0)
        {
            md.AppendLine("## Not audited");
            md.AppendLine();
            foreach (var notAudited in report.NotAudited)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {(notAudited.Requested ? "❌ **" + Cell(notAudited.Concern) + "** (requested, fails the audit)" : "**" + Cell(notAudited.Concern) + "** (not configured)")}: {Cell(notAudited.Reason)}");
            }

            md.AppendLine();
        }

        if (report.Access is { } access)
        {
            AccessMatrixMarkdown(md, access);
        }

        foreach (var concern in report.Findings.GroupBy(f => f.Concern))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {concern.Key}");
            md.AppendLine();
            md.AppendLine("| result | rule | subject | location | message | evidence |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var f in concern.OrderByDescending(f => f.Severity).ThenBy(f => f.Subject, StringComparer.Ordinal))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Icon(f.Severity)} {f.Severity.ToString().ToLowerInvariant()} | [{f.RuleId}]({f.HelpLink}) | {Cell(f.Subject)} | {Cell(f.Location)} | {Cell(f.Message)} | {string.Join("<br>", f.Evidence.Select(Cell))} |");
            }

            md.AppendLine();

            // Charts are written beside the report: a relative link shows them wherever the folder is opened or uploaded.
            foreach (var f in concern.Where(f => f.Chart is not null))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![{Cell(f.Subject)}]({Uri.EscapeDataString(f.Chart!)})");
                md.AppendLine();
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// The access matrix: one row per relation and identity, one column per operation; an unintended access in bold
    /// with ❌, a declared one with its reason in the JSON. Details and statements are in compliance-report.json.
    /// </summary>
    private static void AccessMatrixMarkdown(StringBuilder md, AccessMatrix access)
    {
        md.AppendLine("## Access matrix (attack simulation)");
        md.AppendLine();
        md.AppendLine("Each attempt ran in its own rolled-back transaction on the disposable database, against user A's seeded rows; the statements and details of every cell are in compliance-report.json (`access.cells`).");
        md.AppendLine();
        var operations = access.Cells.Select(c => c.Operation).Distinct().ToList();
        var main = new[] { "read", "update", "delete", "insert", "join A's tenant", "execute" };
        var columns = main.Where(operations.Contains).ToList();
        var hasOther = operations.Except(main).Any();
        md.AppendLine($"| relation | identity | {string.Join(" | ", columns)}{(hasOther ? " | other |" : " |")}");
        md.AppendLine($"|---|---|{string.Concat(columns.Select(_ => "---|"))}{(hasOther ? "---|" : string.Empty)}");
        foreach (var row in access.Cells.GroupBy(c => (c.Relation, c.Identity)))
        {
            string Show(AccessCell c) => c.Outcome switch
            {
                AccessOutcome.Allowed when c.Unintended => "❌ **allowed**",
                AccessOutcome.Allowed when c.IntendedBecause is not null => "allowed (intended)",
                AccessOutcome.Allowed => "allowed",
                AccessOutcome.Denied => "denied",
                AccessOutcome.Failed => $"failed: {Cell(c.Detail)}",
                _ => $"not tried: {Cell(c.Detail)}",
            };
            var cells = columns.Select(o => row.FirstOrDefault(c => c.Operation == o) is { } c ? Show(c) : "—");
            var other = string.Join("<br>", row.Where(c => !main.Contains(c.Operation)).Select(c => $"{Cell(c.Operation)}: {Show(c)}"));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(row.Key.Relation.ToString())} | {Cell(row.Key.Identity)} | {string.Join(" | ", cells)}{(hasOther ? $" | {other} |" : " |")}");
        }

        md.AppendLine();
    }

    private static string Icon(Severity severity) => severity switch
    {
        Severity.Pass => "✅",
        Severity.Info => "ℹ️",
        Severity.Warning => "⚠️",
        _ => "❌",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);
}
