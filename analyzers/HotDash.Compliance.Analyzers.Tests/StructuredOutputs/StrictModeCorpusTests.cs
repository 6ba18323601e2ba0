using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.StructuredOutputs;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

/// <summary>
/// The strict-mode corpus (TestData/strict-mode, table and provenance in its SOURCES.md): schemas from public SDK tests and
/// examples, maintainers' live runs, provider documentation and real 400 answers, each with the verdict the evidence
/// gives. Every current case goes through the real analyzer (HD2001 on a C# literal sent in strict mode) and through
/// the test-time audit; both must give the recorded verdict, in the API's words where the evidence quotes them, and
/// must agree with each other problem for problem. Cases kept as history (an older verdict a newer one replaced) are
/// checked only for being superseded by a current case.
/// </summary>
public class StrictModeCorpusTests
{
    private static readonly string[] Folder = ["analyzers", "HotDash.Compliance.Analyzers.Tests", "TestData", "strict-mode"];

    private static readonly Lazy<IReadOnlyList<CorpusCase>> All = new(() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(Repository.Read([.. Folder, "cases.json"]), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    public static TheoryData<string> Current => [.. All.Value.Where(c => c.History is null).Select(c => c.Id + " " + c.Slug)];

    [Fact]
    public void The_corpus_has_at_least_sixty_cases_with_provenance_both_verdicts_and_both_profiles()
    {
        All.Value.Should().HaveCountGreaterThanOrEqualTo(60);
        All.Value.Should().OnlyContain(c => c.Source.StartsWith("https://", StringComparison.Ordinal) && c.Date.Length >= 4);
        All.Value.Where(c => c.Verdict == "rejected").Should().OnlyContain(c => !string.IsNullOrEmpty(c.Expect), "a rejection names the words it is rejected with");
        All.Value.Select(c => (c.Profile, c.Verdict)).Distinct().Should().HaveCount(4);
    }

    [Fact]
    public void The_table_in_SOURCES_lists_every_case_with_its_verdict()
    {
        var table = Repository.Read([.. Folder, "SOURCES.md"]);
        foreach (var c in All.Value)
        {
            table.Should().Contain($"| {c.Id} | {c.Profile} | {c.Verdict}", $"case {c.Id} is in cases.json");
        }
    }

    [Fact]
    public void Every_historical_verdict_is_superseded_by_a_newer_current_case()
    {
        foreach (var old in All.Value.Where(c => c.History is not null))
        {
            var newer = All.Value.Where(c => c.History is null && c.Profile == old.Profile && c.Verdict != old.Verdict && string.CompareOrdinal(c.Date, old.Date) > 0);
            newer.Should().NotBeEmpty($"{old.Id} is history, so a newer case must give the other verdict");
        }
    }

    [Theory]
    [MemberData(nameof(Current))]
    public async Task Analyzer_and_audit_give_the_recorded_verdict(string id)
    {
        var c = All.Value.Single(x => x.Id + " " + x.Slug == id);
        var schema = Repository.Read([.. Folder, .. c.File.Split('/')]);
        var rulesJson = ProfileRules.Selecting(c.Profile);

        var source = "using System;\nusing OpenAI.Chat;\nclass Probe\n{\n    ChatResponseFormat Format() => ChatResponseFormat.CreateJsonSchemaFormat(\"probe\", BinaryData.FromString(\"\"\"\"\n" + schema + "\n\"\"\"\"), jsonSchemaIsStrict: true);\n}\n";
        var diagnostics = await AnalyzerRun.DiagnosticsAsync([source], [("/repo/hotdash.rules.json", rulesJson)], [new Analyzers.StructuredOutputs.StrictSchemaLiteralAnalyzer()], TestContext.Current.CancellationToken);
        diagnostics.Should().NotContain(d => d.Id == "AD0001" || d.Id == "HD0001" || (d.Id.StartsWith("CS", StringComparison.Ordinal) && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var analyzer = diagnostics.Where(d => d.Id == "HD2001").Select(d => d.GetMessage()).ToList();

        var rules = RulesFile.Parse(rulesJson, "corpus rules").Document.StructuredOutputs;
        var audit = StructuredOutputTypeAudit.AuditSchema(schema, new HotDash.Compliance.Audit.Findings.Subject(HotDash.Compliance.Audit.Findings.SubjectKind.Other, c.Slug), c.File, rules).Select(f => f.Message).ToList();

        if (c.Verdict == "accepted")
        {
            analyzer.Should().BeEmpty($"{c.Source} shows the API taking this schema");
            audit.Should().BeEmpty($"{c.Source} shows the API taking this schema");
            return;
        }

        analyzer.Should().Contain(m => m.Contains(c.Expect!, StringComparison.Ordinal), $"{c.Source} shows the API answering: {c.Expect}");
        audit.Should().Contain(m => m.Contains(c.Expect!, StringComparison.Ordinal));
        var auditProblems = audit.Select(m => m[(m.IndexOf("would reject this schema: ", StringComparison.Ordinal) + "would reject this schema: ".Length)..]).ToList();
        var analyzerProblems = analyzer.Select(m => m[(m.IndexOf("strict mode would reject: ", StringComparison.Ordinal) + "strict mode would reject: ".Length)..]).ToList();
        analyzerProblems.Should().BeEquivalentTo(auditProblems, "build time and test time read the same profile with the same validator");
    }

    private sealed record CorpusCase(
        string Id,
        string Slug,
        string Profile,
        string Verdict,
        string Kind,
        string Source,
        string Date,
        string File,
        string? Expect,
        string? History);
}
