using System;
using System.Collections.Generic;
using System.IO;

namespace HotDash.Compliance.Audit.Settings;

/// <summary>
/// What to audit, from environment variables (documented in README):
/// HOTDASH_RULES, HOTDASH_DATABASE_URL, HOTDASH_REPO_ROOT, HOTDASH_FLY_MACHINES, HOTDASH_REPORT_DIR,
/// HOTDASH_AUDIT_REQUIRE_ALL, HOTDASH_CONNECT_TIMEOUT_SECONDS, HOTDASH_STATEMENT_TIMEOUT_SECONDS,
/// HOTDASH_MIGRATIONS, HOTDASH_SEED, HOTDASH_DISPOSABLE_DATABASE_URL, HOTDASH_BASELINE_REPORT, HOTDASH_SARIF,
/// HOTDASH_PG_BIN, GITHUB_STEP_SUMMARY; and the variables the rules name (<see cref="Variable"/>). Nothing else in the
/// engine or the suite reads the environment.
/// </summary>
public sealed record AuditSettings
{
    /// <summary>Every environment variable the suite reads (documented in README).</summary>
    public static readonly IReadOnlyList<string> VariableNames =
    [
        "HOTDASH_RULES", "HOTDASH_DATABASE_URL", "HOTDASH_REPO_ROOT", "HOTDASH_FLY_MACHINES", "HOTDASH_REPORT_DIR",
        "HOTDASH_AUDIT_REQUIRE_ALL", "HOTDASH_CONNECT_TIMEOUT_SECONDS", "HOTDASH_STATEMENT_TIMEOUT_SECONDS",
        "HOTDASH_MIGRATIONS", "HOTDASH_SEED", "HOTDASH_DISPOSABLE_DATABASE_URL", "HOTDASH_BASELINE_REPORT",
        "HOTDASH_SARIF", "HOTDASH_PG_BIN", "GITHUB_STEP_SUMMARY",
    ];

    public string? RulesPath { get; init; }

    public string? DatabaseUrl { get; init; }

    public required string RepoRoot { get; init; }

    public IReadOnlyList<string> FlyMachinesFiles { get; init; } = [];

    /// <summary>A folder of migrations (*.sql) to apply to a disposable database and audit there (the pull-request mode).</summary>
    public string? Migrations { get; init; }

    /// <summary>The seed file applied after the migrations (supabase/seed.sql).</summary>
    public string? Seed { get; init; }

    /// <summary>A server the user declares disposable: the migrations audit creates its database there instead of starting one.</summary>
    public string? DisposableDatabaseUrl { get; init; }

    /// <summary>The previous compliance-report.json: the report says what is new, fixed and persisting since then.</summary>
    public string? BaselineReport { get; init; }

    /// <summary>Where to write the findings that point into the repository's files as SARIF, for code scanning.</summary>
    public string? Sarif { get; init; }

    public required string ReportDirectory { get; init; }

    /// <summary>The job summary file GitHub Actions gives a step (GITHUB_STEP_SUMMARY): the Markdown report is appended to it.</summary>
    public string? StepSummary { get; init; }

    /// <summary>Where the disposable database of the migrations audit comes from: a declared server, or a throwaway one from these binaries.</summary>
    public Migrations.DisposableServer DisposableServer => new(DisposableDatabaseUrl, PostgresBin);

    /// <summary>The folder of PostgreSQL's server binaries (HOTDASH_PG_BIN) for a throwaway server; else the PATH, then /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresBin { get; init; }

    /// <summary>The Monday/Thursday mode: a target that is not configured fails instead of skipping.</summary>
    public bool RequireAll { get; init; }

    /// <summary>
    /// Reads a variable the rules name (latency.endpoints[].urlFromEnv, header values): the same source as the
    /// settings themselves, so a test gives the audit its whole environment in one place.
    /// </summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static AuditSettings FromEnvironment() => FromVariables(name => Environment.GetEnvironmentVariable(name));

    public static AuditSettings FromVariables(Func<string, string?> get)
    {
        // `dotnet test` runs the suite in its output folder: the repository is the nearest folder above with .git.
        var workingDirectory = Directory.GetCurrentDirectory();
        var repoRoot = Path.GetFullPath(NonEmpty(get("HOTDASH_REPO_ROOT")) ?? NearestAbove(workingDirectory, ".git") ?? workingDirectory);
        var rules = NonEmpty(get("HOTDASH_RULES"));

        // Else the nearest hotdash.rules.json at or above the working folder, not above the repository root (as the
        // build targets find the analyzers' one: one file for both halves, usually the one at the root), else this
        // repository's own rules file, else the built-in defaults. The report names the file it used.
        rules ??= NearestAbove(workingDirectory, RulesFileName, repoRoot) is { } folder ? Path.Combine(folder, RulesFileName) : null;
        if (rules is null && File.Exists(Path.Combine(repoRoot, "rules", "canonical-stack.json")))
        {
            rules = Path.Combine(repoRoot, "rules", "canonical-stack.json");
        }

        return new AuditSettings
        {
            Variable = get,
            RulesPath = rules is null ? null : Path.GetFullPath(rules, repoRoot),
            DatabaseUrl = NonEmpty(get("HOTDASH_DATABASE_URL")),
            Migrations = NonEmpty(get("HOTDASH_MIGRATIONS")) is { } migrations ? Path.GetFullPath(migrations, repoRoot) : null,
            Seed = NonEmpty(get("HOTDASH_SEED")) is { } seed ? Path.GetFullPath(seed, repoRoot) : null,
            DisposableDatabaseUrl = NonEmpty(get("HOTDASH_DISPOSABLE_DATABASE_URL")),
            BaselineReport = NonEmpty(get("HOTDASH_BASELINE_REPORT")) is { } baseline ? Path.GetFullPath(baseline, repoRoot) : null,
            Sarif = NonEmpty(get("HOTDASH_SARIF")) is { } sarif ? Path.GetFullPath(sarif, repoRoot) : null,
            PostgresBin = NonEmpty(get("HOTDASH_PG_BIN")),
            StepSummary = NonEmpty(get("GITHUB_STEP_SUMMARY")),
            RepoRoot = repoRoot,
            FlyMachinesFiles = (NonEmpty(get("HOTDASH_FLY_MACHINES")) ?? string.Empty)
                .Split([Path.PathSeparator, ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ReportDirectory = Path.GetFullPath(NonEmpty(get("HOTDASH_REPORT_DIR")) ?? Path.Combine(repoRoot, "artifacts", "compliance"), repoRoot),
            RequireAll = NonEmpty(get("HOTDASH_AUDIT_REQUIRE_ALL")) is "1" or "true" or "TRUE" or "True" or "yes",
            ConnectTimeout = Seconds(get("HOTDASH_CONNECT_TIMEOUT_SECONDS"), 10),
            StatementTimeout = Seconds(get("HOTDASH_STATEMENT_TIMEOUT_SECONDS"), 30),
        };
    }

    public const string RulesFileName = "hotdash.rules.json";

    private static string? NearestAbove(string directory, string name, string? stopAt = null)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, name)) || Directory.Exists(Path.Combine(current.FullName, name)))
            {
                return current.FullName;
            }

            if (stopAt is not null && string.Equals(Path.TrimEndingDirectorySeparator(current.FullName), Path.TrimEndingDirectorySeparator(stopAt), StringComparison.Ordinal))
            {
                return null;
            }
        }

        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static TimeSpan Seconds(string? value, int fallback) =>
        TimeSpan.FromSeconds(int.TryParse(value, out var seconds) && seconds > 0 ? seconds : fallback);
}
