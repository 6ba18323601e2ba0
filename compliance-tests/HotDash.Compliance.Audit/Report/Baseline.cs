using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>
/// What changed since the last audit: failing findings that are new, fixed, or still there (by rule and subject), and
/// those of the last audit whose concern this run did not audit: nothing is "fixed" that was not checked again.
/// </summary>
public sealed record BaselineComparison(string Source, string? StartedAt, IReadOnlyList<string> New, IReadOnlyList<string> Fixed, IReadOnlyList<string> Persisting, IReadOnlyList<string> NotAuditedAgain)
{
    /// <summary>Cells of the access matrix whose outcome changed: "anon | read | table public.notes: denied → allowed".</summary>
    public IReadOnlyList<string> AccessChanged { get; init; } = [];

    /// <summary>Of <see cref="AccessChanged"/>, the cells that now let an attack through and did not before.</summary>
    public IReadOnlyList<string> AccessWidened { get; init; } = [];

    public string Summary => $"Since the last audit ({StartedAt ?? Source}): {New.Count} new, {Fixed.Count} fixed, {Persisting.Count} persisting" +
                             (NotAuditedAgain.Count > 0 ? $", {NotAuditedAgain.Count} not audited again" : string.Empty) +
                             (AccessChanged.Count > 0 ? $"; access matrix: {AccessChanged.Count} cell(s) changed, {AccessWidened.Count} widened" : string.Empty);
}

/// <summary>The baseline file cannot be used; the audit goes on without a comparison and says why.</summary>
public sealed class BaselineException(string message) : Exception(message);

/// <summary>
/// A previous compliance-report.json (HOTDASH_BASELINE_REPORT; the Monday/Thursday workflow downloads the last run's).
/// Findings are matched by rule and subject: locations name ports and disposable databases that change every run.
/// </summary>
public sealed class Baseline
{
    private readonly List<(string Key, string Severity, string Concern, IReadOnlyDictionary<string, double> Metrics)> _findings;

    // The last report's access matrix, cell key → outcome (empty when it had none).
    private readonly Dictionary<string, string> _access;

    private Baseline(string source, string? startedAt, List<(string, string, string, IReadOnlyDictionary<string, double>)> findings, Dictionary<string, string> access)
    {
        Source = source;
        StartedAt = startedAt;
        _findings = findings;
        _access = access;
    }

    public string Source { get; }

    public string? StartedAt { get; }

    public static Baseline Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new BaselineException($"the baseline report {path} does not exist (HOTDASH_BASELINE_REPORT)");
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var findings = new List<(string, string, string, IReadOnlyDictionary<string, double>)>();
            foreach (var finding in root.GetProperty("findings").EnumerateArray())
            {
                // The key the report wrote; a report from before keys is keyed the same way, by rule and subject.
                var key = finding.TryGetProperty("key", out var written) && written.GetString() is { } k
                    ? k
                    : $"{finding.GetProperty("rule").GetString()} {finding.GetProperty("subject").GetString()}";
                var metrics = finding.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object
                    ? m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal)
                    : new Dictionary<string, double>(StringComparer.Ordinal);
                findings.Add((
                    key,
                    finding.GetProperty("severity").GetString() ?? string.Empty,
                    finding.TryGetProperty("concern", out var concern) ? concern.GetString() ?? string.Empty : string.Empty,
                    metrics));
            }

            var access = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("access", out var matrix) && matrix.ValueKind == JsonValueKind.Object)
            {
                foreach (var cell in matrix.GetProperty("cells").EnumerateArray())
                {
                    access[cell.GetProperty("key").GetString() ?? string.Empty] = cell.GetProperty("outcome").GetString() ?? string.Empty;
                }
            }

            return new Baseline(path, root.TryGetProperty("startedAt", out var started) ? started.GetString() : null, findings, access);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new BaselineException($"the baseline report {path} is not a compliance-report.json: {e.Message}");
        }
    }

    /// <summary>
    /// Compares by rule and subject. A failing finding of the last audit that is gone now is fixed only when its
    /// concern was audited this time; when <paramref name="notAudited"/> covers it, it is "not audited again".
    /// </summary>
    public BaselineComparison Compare(IReadOnlyList<Finding> now, IReadOnlyList<NotAudited> notAudited, AccessMatrix? access = null)
    {
        var changed = new List<string>();
        var widened = new List<string>();
        foreach (var cell in _access.Count == 0 ? [] : access?.Cells ?? [])
        {
            var outcome = Word(cell.Outcome.ToString());
            var before = _access.TryGetValue(cell.Key, out var was) ? Word(was) : "absent";
            if (before != outcome)
            {
                changed.Add($"{cell.Key}: {before} → {outcome}");
                if (cell.Unintended)
                {
                    widened.Add($"{cell.Key}: {before} → {outcome}: {cell.Detail}");
                }
            }
        }

        return CompareFindings(now, notAudited) with { AccessChanged = changed, AccessWidened = widened };
    }

    private static string Word(string outcome) => outcome.ToLowerInvariant();

    private BaselineComparison CompareFindings(IReadOnlyList<Finding> now, IReadOnlyList<NotAudited> notAudited)
    {
        var unaudited = notAudited.SelectMany(n => n.Covers).ToHashSet(StringComparer.Ordinal);
        var failingBefore = _findings.Where(f => f.Severity == "error").ToList();
        var before = failingBefore.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var notAgain = failingBefore.Where(f => unaudited.Contains(f.Concern)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var after = now.Where(f => f.Fails).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return new BaselineComparison(Source, StartedAt,
            after.Except(before).Order(StringComparer.Ordinal).ToList(),
            before.Except(after).Except(notAgain).Order(StringComparer.Ordinal).ToList(),
            after.Intersect(before).Order(StringComparer.Ordinal).ToList(),
            notAgain.Except(after).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>"since the last audit: p50 A → B ms, p95 C → D ms" for a latency finding the baseline measured too (by their metrics).</summary>
    public string? LatencyChange(Finding finding)
    {
        var previous = _findings.FirstOrDefault(f => f.Key == finding.Key).Metrics;
        if (previous is null || finding.Metrics is not { } current)
        {
            return null;
        }

        var changes = new List<string>();
        foreach (var name in new[] { "p50", "p95", "max" })
        {
            if (previous.TryGetValue(name, out var then) && current.TryGetValue(name, out var now))
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {then:0} → {now:0} ms ({now - then:+0;-0;0})"));
            }
        }

        return changes.Count == 0 ? null : $"since the last audit ({StartedAt ?? Source}): {string.Join(", ", changes)}";
    }
}
