using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>
/// The end-of-run summary on one screen: the verdict, one line per concern (how many subjects pass, which rules
/// fail on which subjects), the coverage lines, the change since the last audit, what was not audited and
/// where the evidence is (the change since the last audit is one of the coverage lines). The details of each failure are in its own test result and in the report.
/// </summary>
public static class ConsoleSummary
{
    /// <summary>At most this many failing subjects are named per concern; the rest are counted.</summary>
    public const int SubjectsPerConcern = 4;

    public static string Format(AuditReport report, IReadOnlyList<string> reportPaths)
    {
        var text = new StringBuilder();
        var failing = report.Findings.Where(f => f.Fails).ToList();
        var verdict = failing.Count == 0
            ? report.Skipped.Count == 0 ? "PASSED" : "PASSED (with concerns not audited)"
            : $"FAILED: {Count(failing.Count, "failing finding")} on {Count(failing.Select(f => (f.Concern, f.Subject)).Distinct().Count(), "subject")}";
        text.AppendLine(CultureInfo.InvariantCulture, $"HotDash compliance audit {verdict}");
        text.AppendLine(CultureInfo.InvariantCulture, $"rules: {report.RulesFile}");

        foreach (var concern in report.Findings.GroupBy(f => f.Concern))
        {
            var subjects = concern.GroupBy(f => f.Subject).ToList();
            var failed = subjects.Where(s => s.Any(f => f.Fails)).ToList();
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"  {(failed.Count == 0 ? "ok  " : "FAIL")} {concern.Key}: {subjects.Count - failed.Count}/{subjects.Count} pass");
            if (failed.Count > 0)
            {
                var named = failed.Take(SubjectsPerConcern)
                    .Select(s => $"{string.Join(",", s.Where(f => f.Fails).Select(f => f.RuleId).Distinct())} {s.Key}");
                line.Append(CultureInfo.InvariantCulture, $"; {string.Join("; ", named)}");
                if (failed.Count > SubjectsPerConcern)
                {
                    line.Append(CultureInfo.InvariantCulture, $"; and {failed.Count - SubjectsPerConcern} more");
                }
            }

            var warned = subjects.Where(s => s.Any(f => f.Severity == Severity.Warning)).ToList();
            if (warned.Count > 0)
            {
                var named = warned.Take(SubjectsPerConcern)
                    .Select(s => $"{string.Join(",", s.Where(f => f.Severity == Severity.Warning).Select(f => f.RuleId).Distinct())} {s.Key}");
                line.Append(CultureInfo.InvariantCulture, $"; warnings: {string.Join("; ", named)}{(warned.Count > SubjectsPerConcern ? $"; and {warned.Count - SubjectsPerConcern} more" : string.Empty)}");
            }

            text.AppendLine(line.ToString());
        }

        foreach (var skipped in report.Skipped)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  skip {skipped.Concern}: {skipped.Reason}");
        }

        foreach (var line in report.Summary)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }

        foreach (var path in reportPaths)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"evidence: {path}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
