using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>
/// A concern that was not audited, and why. <see cref="Requested"/>: the user asked for it (its variable or target is
/// set) and the audit could not do it (an unreachable database, a machines file that is not JSON, a baseline that
/// cannot be read): that fails the run, since a verdict on what was never checked would be a lie. A concern that
/// simply is not configured (no HOTDASH_DATABASE_URL) is listed and fails only in the Monday/Thursday mode.
/// <see cref="Covers"/> are the finding concerns it stands for: the comparison with the last audit never calls a
/// finding of theirs "fixed" when they were not audited again.
/// </summary>
public sealed record NotAudited(string Concern, string Reason, bool Requested, IReadOnlyList<string> Covers)
{
    public override string ToString() => $"{Concern}{(Requested ? " (requested)" : string.Empty)}: {Reason}";
}

/// <summary>The evidence of one audit run: what was audited against which rules, and every result.</summary>
public sealed record AuditReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string RulesFile,
    string RulesSha256,
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> Summary,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<NotAudited> NotAudited,
    int DatabaseRoundTrips,
    BaselineComparison? SinceBaseline = null)
{
    /// <summary>The attack simulation's access matrix (pull-request mode), or null.</summary>
    public AccessMatrix? Access { get; init; }

    /// <summary>Every failing finding.</summary>
    public IReadOnlyList<Finding> Failing => Findings.Where(f => f.Fails).ToList();

    /// <summary>What the user asked for and the audit could not do.</summary>
    public IReadOnlyList<NotAudited> RequestedNotAudited => NotAudited.Where(n => n.Requested).ToList();

    /// <summary>No failing finding, and everything the user asked for was audited.</summary>
    public bool Passed => !Findings.Any(f => f.Fails) && !NotAudited.Any(n => n.Requested);

    /// <summary>One line: "passed", "passed (2 concerns not configured)", "FAILED: 9 failing findings on 5 subjects; database requested but not audited".</summary>
    public string Verdict
    {
        get
        {
            var failing = Failing;
            var requested = RequestedNotAudited;
            if (failing.Count == 0 && requested.Count == 0)
            {
                return NotAudited.Count == 0 ? "passed" : $"passed ({Count(NotAudited.Count, "concern")} not configured)";
            }

            var parts = new List<string>();
            if (failing.Count > 0)
            {
                parts.Add($"{Count(failing.Count, "failing finding")} on {Count(failing.Select(f => (f.Concern, f.About)).Distinct().Count(), "subject")}");
            }

            if (requested.Count > 0)
            {
                parts.Add($"{string.Join(", ", requested.Select(n => n.Concern))} requested but not audited");
            }

            return "FAILED: " + string.Join("; ", parts);
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
