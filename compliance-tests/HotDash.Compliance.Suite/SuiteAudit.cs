using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;

namespace HotDash.Compliance.Suite;

/// <summary>
/// Runs the whole audit once per test run (one catalog query per concern; the engine writes the evidence
/// report), and hands each test case its subject's findings.
/// </summary>
public static class SuiteAudit
{
    static SuiteAudit()
    {
        // Test cases are named by their whole subject (a table, a function signature, a migration file): xUnit cuts
        // strings in display names at 50 characters unless told otherwise, and its runner.json setting does not reach
        // discovery. The theory data comes from here, before any name is formatted.
        if (Environment.GetEnvironmentVariable(PrintMaxStringLength) is null)
        {
            Environment.SetEnvironmentVariable(PrintMaxStringLength, "1000");
        }
    }

    private const string PrintMaxStringLength = "XUNIT_PRINT_MAX_STRING_LENGTH";

    public static AuditSettings Settings { get; } = AuditSettings.FromEnvironment();

    private static readonly Lazy<(AuditOutcome? Outcome, string? Error)> Run = new(() =>
    {
        var settings = Settings;
        try
        {
            return (AuditRunner.RunAndReportAsync(settings).GetAwaiter().GetResult(), null);
        }
        catch (RulesFileException e)
        {
            return (null, e.Message);
        }
    });

    public static IReadOnlyList<string> ReportPaths => Run.Value.Outcome?.ReportPaths ?? [];

    /// <summary>The outcome; fails the calling test when the rules file could not be loaded.</summary>
    public static AuditOutcome Outcome => Run.Value.Outcome ?? throw new AuditFailure(Run.Value.Error ?? "the audit did not run");

    public static string? LoadError => Run.Value.Error;

    /// <summary>Rows for a theory: one per subject, or one placeholder row that will skip or fail with the reason.</summary>
    public static TheoryData<string> Subjects(Func<AuditOutcome, IEnumerable<string>> select, string placeholder)
    {
        var rows = new TheoryData<string>();
        var outcome = Run.Value.Outcome;
        var subjects = outcome is null ? [] : select(outcome).ToList();
        foreach (var subject in subjects.Count > 0 ? subjects : [placeholder])
        {
            rows.Add(subject);
        }

        return rows;
    }

    /// <summary>
    /// Fails when the concern was asked for and could not be audited (an unreachable database, an unreadable machines
    /// file), with every reason. Each concern has one test that calls this, so the failure is reported once.
    /// </summary>
    public static void AssertAudited(params string[] concerns)
    {
        var requested = Outcome.Report.NotAudited.Where(n => n.Requested && concerns.Contains(n.Concern)).ToList();
        FailWhen(requested.Count > 0, string.Join(Environment.NewLine, requested.Select(n => $"{n.Concern} requested but not audited: {n.Reason}")));
    }

    /// <summary>
    /// Skips a check of a concern that was not audited: when it was requested, its own test (<see cref="AssertAudited"/>)
    /// and the summary fail the run; when it is not configured, it fails only in the Monday/Thursday mode
    /// (HOTDASH_AUDIT_REQUIRE_ALL=1).
    /// </summary>
    public static void RequireAudited(string concern)
    {
        var notAudited = Outcome.Report.NotAudited.Where(n => n.Concern == concern).ToList();
        if (notAudited.Count == 0)
        {
            return;
        }

        var reasons = string.Join("; ", notAudited.Select(n => n.Reason));
        if (notAudited.Any(n => n.Requested))
        {
            Assert.Skip($"{concern} requested but not audited (this fails the run): {reasons}");
        }

        if (Settings.RequireAll)
        {
            throw new AuditFailure($"{concern} not audited: {reasons} (HOTDASH_AUDIT_REQUIRE_ALL=1)");
        }

        Assert.Skip($"{concern} not audited: {reasons}");
    }

    /// <summary>
    /// Fails with every failing finding, each saying where, which rule, what and how to fix it. The others (passes,
    /// warnings) go to the test's output; a failing one is printed once, in the failure.
    /// </summary>
    public static void AssertPasses(IReadOnlyCollection<Finding> findings)
    {
        foreach (var finding in findings.Where(f => !f.Fails))
        {
            Log(Describe(finding));
        }

        var failing = findings.Where(f => f.Fails).ToList();
        FailWhen(failing.Count > 0, string.Join(Environment.NewLine + Environment.NewLine, failing.Select(Describe)));
    }

    /// <summary>Fails the current test with the message alone (no stack frames) when the condition holds.</summary>
    public static void FailWhen(bool condition, string message)
    {
        if (condition)
        {
            throw new AuditFailure(message);
        }
    }

    /// <summary>A line in the current test's output (shown by `dotnet test` at normal verbosity and in test explorers).</summary>
    public static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    public static string Describe(Finding f) =>
        $"{f.Severity.ToString().ToUpperInvariant()} {f.RuleId} {f.Subject} at {f.Location}{Environment.NewLine}" +
        $"  {f.Message}{Environment.NewLine}" +
        string.Concat(f.Evidence.Select(e => $"  evidence: {e}{Environment.NewLine}")) +
        $"  see {f.HelpLink}";
}

/// <summary>
/// A failed audit check: the message is the finding (rule, subject, location, what, evidence, fix, link). It carries
/// no stack trace: the frames would be the suite's own plumbing, which says nothing to the reader of the audit.
/// </summary>
public sealed class AuditFailure(string message) : Xunit.Sdk.XunitException(message)
{
    public override string StackTrace => string.Empty;
}
