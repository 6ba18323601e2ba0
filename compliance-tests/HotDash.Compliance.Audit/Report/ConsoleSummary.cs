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
        var verdict = report.Verdict;
        text.AppendLine(CultureInfo.InvariantCulture, $"HotDash compliance audit {(report.Passed ? "PASSED" + verdict["passed".Length..] : verdict)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"rules: {report.RulesFile}");

        foreach (var concern in report.Findings.GroupBy(f => f.Concern))
        {
            var subjects = concern.GroupBy(f => f.Subject).ToList();
            var failed = subjects.Count(s => s.Any(f => f.Fails));
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"  {(failed == 0 ? "ok  " : "FAIL")} {concern.Key}: {subjects.Count - failed}/{subjects.Count} pass");
            line.Append(Named(subjects, f => f.Fails, "; "));
            line.Append(Named(subjects, f => f.Severity == Severity.Warning, "; warnings: "));
            text.AppendLine(line.ToString());
        }

        foreach (var notAudited in report.NotAudited)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(notAudited.Requested ? "FAIL" : "skip")} {notAudited.Concern}: {(notAudited.Requested ? "requested but not audited: " : string.Empty)}{notAudited.Reason}");
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

    /// <summary>"; HD5001 table x; HD5006 table y; and 2 more": the subjects with a finding that matches, and their rules.</summary>
    private static string Named(IReadOnlyList<IGrouping<string, Finding>> subjects, Func<Finding, bool> matches, string lead)
    {
        var named = subjects.Where(s => s.Any(matches)).ToList();
        if (named.Count == 0)
        {
            return string.Empty;
        }

        var shown = named.Take(SubjectsPerConcern).Select(s => $"{string.Join(",", s.Where(matches).Select(f => f.RuleId).Distinct())} {s.Key}");
        return lead + string.Join("; ", shown) + (named.Count > SubjectsPerConcern ? $"; and {named.Count - SubjectsPerConcern} more" : string.Empty);
    }
}
