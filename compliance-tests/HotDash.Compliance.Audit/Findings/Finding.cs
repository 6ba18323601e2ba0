using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace HotDash.Compliance.Audit.Findings;

/// <summary>How a checked subject fared. A pass is recorded too: the report is evidence, not only a list of problems.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    Pass,
    Info,
    Warning,
    Error,
}

/// <summary>
/// The one result shape of every audit and of the report: which rule, how bad, what was checked
/// (subject, typed in <see cref="About"/>; <see cref="Subject"/> is how reports show it), where (table, file:line,
/// app/process), what is wrong and how to fix it (message), the facts it rests on (evidence), and the figures a
/// summary or comparison counts (<see cref="Metrics"/>): no code reads those back out of the text.
/// </summary>
public sealed record Finding(
    string RuleId,
    Severity Severity,
    string Concern,
    string Subject,
    string Location,
    string Message,
    IReadOnlyList<string> Evidence)
{
    /// <summary>A finding about a typed subject (every audit's): its text is the subject's.</summary>
    public Finding(string ruleId, Severity severity, string concern, Subject subject, string location, string message, IReadOnlyList<string> evidence)
        : this(ruleId, severity, concern, subject.ToString(), location, message, evidence)
    {
        About = subject;
    }

    /// <summary>The subject, typed: what the suite's test cases and the baseline comparison go by.</summary>
    public Subject About { get; init; } = new(SubjectKind.Other, Subject);

    /// <summary>The stable key of the finding across runs: its rule and subject (locations name ports and dropped databases).</summary>
    public string Key => $"{RuleId} {About}";

    /// <summary>Figures of the result by name (latency: p50, p95, max, avg in ms), for summaries and the comparison with the last run.</summary>
    public IReadOnlyDictionary<string, double>? Metrics { get; init; }

    /// <summary>The row-level security policy a finding on a table is about (HD5006), by name; null otherwise.</summary>
    public string? Policy { get; init; }

    /// <summary>The declared exemption that made it pass, with its reason; null when none applied.</summary>
    public string? ExemptBecause { get; init; }

    public bool Fails => Severity == Severity.Error;

    /// <summary>An image of the evidence (an SVG chart) beside the report, by its file name: the report shows it.</summary>
    public string? Chart { get; init; }

    public string HelpLink => RuleIds.HelpLink(RuleId);

    public override string ToString() => $"{Location}: {Severity.ToString().ToLowerInvariant()} {RuleId}: {Message}";
}
