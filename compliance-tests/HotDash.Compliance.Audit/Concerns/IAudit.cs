using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Audit.Concerns;

/// <summary>
/// One concern's audit, in the one shape every audit has: the validated rules and the target the settings name go in;
/// findings, summary lines, the targets it looked at and what it could not audit (and why) come out, with a typed
/// detail for the suite's test cases. The checks it runs are pure functions over what it read (a catalog snapshot,
/// fly.toml and machines, compiled types, latency samples).
/// </summary>
public interface IAudit<TDetail>
    where TDetail : class
{
    /// <summary>The concern this audit answers for, as reports and <see cref="NotAudited"/> name it.</summary>
    string Concern { get; }

    Task<AuditResult<TDetail>> RunAsync(AuditContext context, CancellationToken cancellationToken);
}

/// <summary>What every audit is given: the settings (targets, paths, variables) and the rules, validated before any audit runs.</summary>
public sealed record AuditContext(AuditSettings Settings, RulesDocument Rules)
{
    /// <summary>A path as the report shows it: relative to the repository root when under it.</summary>
    public string Relative(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            return path;
        }

        var relative = Path.GetRelativePath(Settings.RepoRoot, path).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}

/// <summary>One audit's result: findings, summary lines, targets, what was not audited and why, and its detail (null when it did not run).</summary>
public sealed record AuditResult<TDetail>
    where TDetail : class
{
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    public IReadOnlyList<string> Summary { get; init; } = [];

    public IReadOnlyList<string> Targets { get; init; } = [];

    public IReadOnlyList<NotAudited> NotAudited { get; init; } = [];

    /// <summary>Queries sent to a database the audit did not create (0 when there is none).</summary>
    public int RoundTrips { get; init; }

    public TDetail? Detail { get; init; }

    /// <summary>Nothing to audit: the rules declare nothing for this concern.</summary>
    public static AuditResult<TDetail> NothingDeclared { get; } = new();
}
