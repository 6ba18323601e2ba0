using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Secrets;

namespace HotDash.Compliance.Audit.Scan;

/// <summary>What the repository scan read and found.</summary>
public sealed record RepositoryScanResult(IReadOnlyList<Finding> Findings, int Files, string Source)
{
    public string Summary =>
        $"Repository: {Files} tracked text file(s) scanned ({Source}); {Findings.Count(f => f.RuleId == RuleIds.HardcodedSecret)} secret(s), {Findings.Count(f => f.RuleId == RuleIds.DeprecatedConfigurationKey)} deprecated key read(s)";
}

/// <summary>
/// The test-time scan of the repository's tracked text files that no C# analyzer sees (TypeScript and JavaScript,
/// <c>.env*</c>, fly.toml, workflows, Dockerfiles, shell, SQL, JSON): HD1002 for a secret of the rules'
/// <c>configuration.secretPatterns</c> (read by the same decoders and masked by the same code as the analyzers), and
/// HD1001 for a deprecated configuration key read from the environment (<c>process.env.X</c>,
/// <c>import.meta.env.X</c>, <c>Deno.env.get("X")</c>, <c>${{ secrets.X }}</c>, <c>$X</c> in shell). C# files are
/// the analyzers' (HD1001/HD1002 at build time) and are not read twice.
/// </summary>
public static class RepositoryScan
{
    public const string Concern = "repository";

    private const int MaxBytes = 2 * 1024 * 1024;

    private static readonly string[] Skipped = [".cs", ".dll", ".exe", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".svg", ".pdf", ".zip", ".gz", ".nupkg", ".snk", ".pfx", ".woff", ".woff2"];

    private static readonly string[] Scripts = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte", ".astro"];

    /// <summary>Scans the tracked files; null when the root is no git work tree (the concern is then not audited, and says so).</summary>
    public static RepositoryScanResult? Scan(string root, RulesDocument rules)
    {
        if (TrackedFiles(root) is not { } files)
        {
            return null;
        }

        const string source = "git ls-files";
        var secrets = rules.Configuration.SecretPatterns
            .Select(p => (Rule: p, Regex: new Regex(p.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            .ToList();
        var keys = rules.Configuration.DeprecatedKeys;
        var findings = new List<Finding>();
        var scanned = 0;
        foreach (var relative in files.Where(f => !Skipped.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)))
        {
            var path = Path.Combine(root, relative);
            if (ReadText(path) is not { } text)
            {
                continue;
            }

            scanned++;
            foreach (var (rule, regex) in secrets)
            {
                foreach (Match match in SafeMatches.Of(regex, text))
                {
                    if (SecretDecoders.Verdict(rule.Decoder, match.Value) is not { } why)
                    {
                        continue;
                    }

                    var (line, column) = TextPosition.Of(text, match.Index);
                    findings.Add(new Finding(RuleIds.HardcodedSecret, Severity.Error, Concern, Subject.File(relative), $"{relative}:{line}:{column}",
                        $"Hard-coded {rule.Description} '{SecretMask.Mask(match.Value)}' (pattern '{rule.Id}'){(why.Length > 0 ? $": {why}" : string.Empty)}; remove it from the repository and rotate it: {rule.Hint ?? "keep it in a secret store"}.",
                        [$"{relative}:{line}:{column}: matches configuration.secretPatterns '{rule.Id}'"]));
                }
            }

            foreach (var key in keys)
            {
                foreach (Match match in SafeMatches.Of(EnvironmentRead(key, relative), text))
                {
                    var (line, column) = TextPosition.Of(text, match.Index);
                    findings.Add(new Finding(RuleIds.DeprecatedConfigurationKey, Severity.Error, Concern, Subject.File(relative), $"{relative}:{line}:{column}",
                        $"{relative} reads the deprecated configuration key {key.Key} ('{match.Value.Trim()}'). {(key.Reason ?? "The rules deprecate it.").TrimEnd('.')}. Fix: {key.Replacement}.",
                        [$"{relative}:{line}:{column}: {match.Value.Trim()}"]));
                }
            }
        }

        return new RepositoryScanResult(findings, scanned, source);
    }

    /// <summary>An environment read of the key (or an alias) as the file's language writes one.</summary>
    private static Regex EnvironmentRead(DeprecatedKeyRule key, string relative)
    {
        var names = string.Join("|", new[] { key.Key }.Concat(key.Aliases ?? []).Select(n => Regex.Escape(n.Replace(":", "__", StringComparison.Ordinal))));
        var extension = Path.GetExtension(relative);
        var file = Path.GetFileName(relative);
        var pattern = Scripts.Contains(extension, StringComparer.OrdinalIgnoreCase)
            ? $@"\b(?:process\.env|import\.meta\.env|Bun\.env)(?:\.(?:{names})\b|\[\s*['""`](?:{names})['""`]\s*\])|\bDeno\.env\.get\(\s*['""`](?:{names})['""`]\s*\)"
            : relative.Contains(".github/workflows/", StringComparison.Ordinal) || extension is ".yml" or ".yaml"
                ? $@"\$\{{\{{\s*(?:secrets|env|vars)\.(?:{names})\s*\}}\}}"
                : extension is ".sh" or ".bash" || file.StartsWith("Dockerfile", StringComparison.Ordinal)
                    ? $@"\$\{{?(?:{names})\b"
                    : "(?!)";
        return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The repository's tracked files (git ls-files), or null when the root is no git work tree (or git is missing):
    /// what is not tracked is not the repository's, and a folder walk of an unknown root could be the whole disk.
    /// </summary>
    public static IReadOnlyList<string>? TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files -z") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var git = Process.Start(start)!;
            var error = git.StandardError.ReadToEndAsync();
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            _ = error.Result;
            return git.ExitCode == 0 ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The file as text, or null for a binary file (a NUL byte), one over 2 MB, or one that is gone.</summary>
    private static string? ReadText(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return null;
            }

            var bytes = File.ReadAllBytes(path);
            return Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8000)) >= 0 ? null : Encoding.UTF8.GetString(bytes);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
