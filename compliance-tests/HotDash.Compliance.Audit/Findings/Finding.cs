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

    public string HelpLink => AuditRules.HelpLink(RuleId);

    public override string ToString() => $"{Location}: {Severity.ToString().ToLowerInvariant()} {RuleId}: {Message}";
}

/// <summary>The audit rule IDs (one namespace with the analyzers', see docs/architecture.md) and their docs pages.</summary>
public static class AuditRules
{
    public const string RulesFileInvalid = "HD0001";
    public const string StrictSchemaRejected = "HD2001";
    public const string OptionalPropertyNotNullable = "HD2002";
    public const string OptionalPropertyFilledByModel = "HD2004";
    public const string TypeNotRepresentable = "HD2003";
    public const string TableWithoutRls = "HD5001";
    public const string RlsWithoutPolicy = "HD5002";
    public const string PoliciesWithoutRls = "HD5003";
    public const string ViewBypassesRls = "HD5004";
    public const string StaleExemption = "HD5005";
    public const string AlwaysTruePolicy = "HD5006";
    public const string PolicyTrustsUserMetadata = "HD5007";
    public const string DefinerFunctionCallable = "HD5008";
    public const string DefinerFunctionSearchPath = "HD5009";
    public const string PrivateRelationExposed = "HD5010";
    public const string BucketListable = "HD5011";
    public const string ExposedSchemaNotAudited = "HD5012";
    public const string MigrationFailed = "HD5013";
    public const string WrongDatabaseProvider = "HD6001";
    public const string FlyMemoryBelowMinimum = "HD7001";
    public const string FlyMachineDrift = "HD7002";
    public const string FlyDeclarationMissing = "HD7003";
    public const string FlyConfigInvalid = "HD7004";
    public const string FlyWarmCapacity = "HD7005";
    public const string FlyStartedMachines = "HD7006";
    public const string LatencyBudget = "HD8001";

    public const string HelpLinkBase = "https://github.com/hotdash-dev/HotDash.Compliance/blob/main/docs/rules/";

    public static string HelpLink(string ruleId) => HelpLinkBase + ruleId + ".md";
}
