using System;
using System.Collections.Generic;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>A concern that was not audited, and why (a missing target, an unreachable database).</summary>
public sealed record SkippedConcern(string Concern, string Reason);

/// <summary>The evidence of one audit run: what was audited against which rules, and every result.</summary>
public sealed record AuditReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string RulesFile,
    string RulesSha256,
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> Summary,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<SkippedConcern> Skipped,
    int DatabaseRoundTrips,
    BaselineComparison? SinceBaseline = null);
