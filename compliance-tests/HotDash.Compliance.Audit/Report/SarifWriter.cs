using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>
/// The audit's findings that point into a file of the repository (fly.toml, the rules file, a migration, a compiled
/// assembly) as SARIF 2.1.0 (HOTDASH_SARIF), so code scanning annotates them in the pull request beside the analyzers'
/// own SARIF. Findings about live targets (a database, a machine, an endpoint) have no file and are left to the report.
/// </summary>
public static partial class SarifWriter
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(AuditReport report, string path, string repoRoot)
    {
        var results = new List<object>();
        foreach (var finding in report.Findings.Where(f => f.Severity is Severity.Error or Severity.Warning or Severity.Info))
        {
            if (FileLocation(finding.Location, repoRoot) is not { } location)
            {
                continue;
            }

            var region = new Dictionary<string, int> { ["startLine"] = Math.Max(1, location.Line) };
            if (location.Column > 0)
            {
                region["startColumn"] = location.Column;
            }

            results.Add(new Dictionary<string, object>
            {
                ["ruleId"] = finding.RuleId,
                ["level"] = finding.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" },
                ["message"] = new { text = $"{finding.Subject}: {finding.Message}" },
                ["locations"] = new[] { new { physicalLocation = new { artifactLocation = new { uri = location.Path, uriBaseId = "%SRCROOT%" }, region } } },
            });
        }

        var rules = report.Findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal)
            .Select(id => new { id, helpUri = RuleIds.HelpLink(id) }).ToList();
        var sarif = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new
                {
                    tool = new { driver = new { name = "HotDash.Compliance audit", informationUri = RuleIds.HelpLinkBase, rules } },
                    results,
                },
            },
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(sarif, Options));
        return path;
    }

    /// <summary>The repository-relative file, line and column a finding's location names, if it names a file that exists.</summary>
    public static (string Path, int Line, int Column)? FileLocation(string location, string repoRoot)
    {
        var match = FilePosition().Match(location);
        if (!match.Success)
        {
            return null;
        }

        var file = match.Groups["file"].Value;
        var full = Path.GetFullPath(file, repoRoot);
        if (!File.Exists(full))
        {
            return null;
        }

        var relative = Path.GetRelativePath(repoRoot, full).Replace('\\', '/');
        if (relative.StartsWith("../", StringComparison.Ordinal))
        {
            return null;
        }

        var line = match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
        var column = match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (relative, line, column);
    }

    // "path:line:col", "path:line", or "path (what)" / "path": a path has no spaces, and contains a dot or a slash.
    [GeneratedRegex(@"^(?<file>[^\s:()]*[./][^\s:()]*)(?::(?<line>\d+)(?::(?<column>\d+))?)?(?:\s.*)?$")]
    private static partial Regex FilePosition();
}
