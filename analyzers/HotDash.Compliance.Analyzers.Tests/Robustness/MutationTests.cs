using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Json;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Tests.Robustness;

/// <summary>
/// Hostile input, seeded and reproducible (the seed is in each message): source files truncated and
/// with random mutations through every analyzer at once, with concurrent execution (zero AD0001);
/// the JSON reader against System.Text.Json on mutated JSON (same accept/reject); and the rules loader
/// on mutated rules files (it never throws).
/// </summary>
[Trait("Category", "Robustness")]
public class MutationTests
{
    private const int Seed = 20261125;

    private static readonly DiagnosticAnalyzer[] AllAnalyzers = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToArray();

    [Fact]
    public async Task Five_thousand_mutated_sources_never_make_an_analyzer_throw()
    {
        var files = Directory.EnumerateFiles(Repository.PathOf("analyzers", "HotDash.Compliance.Analyzers.Tests"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repository.PathOf("samples"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToList();
        var random = new Random(Seed);
        var variants = new List<string>();
        while (variants.Count < 5000)
        {
            var source = files[random.Next(files.Count)];
            variants.Add(Mutations.Mutate(source, random));
        }

        // Twenty variants per compilation: each is its own syntax tree, analyzed concurrently.
        var additional = new[] { ("/repo/hotdash.rules.json", Repository.Read("rules", "canonical-stack.json")) };
        for (var batch = 0; batch < variants.Count; batch += 20)
        {
            var trees = variants.Skip(batch).Take(20).ToList();
            var diagnostics = await AnalyzerRun.DiagnosticsAsync(trees, additional, AllAnalyzers, TestContext.Current.CancellationToken);
            var crashes = diagnostics.Where(d => d.Id == "AD0001").ToList();
            crashes.Should().BeEmpty($"seed {Seed}, variants {batch}-{batch + trees.Count - 1}: {string.Join(" | ", crashes.Select(c => c.GetMessage()))}");
        }
    }

    [Fact]
    public void The_json_reader_agrees_with_system_text_json_on_mutated_json()
    {
        var documents = new[]
        {
            Repository.Read("rules", "canonical-stack.json"),
            Repository.Read("rules", "canonical-stack.schema.json"),
            Repository.Read("samples", "HotDash.AgentService", "appsettings.json"),
            Repository.Read("samples", "fly", "chatwoot", "machines.json"),
            """{"type":"object","properties":{"a":{"type":["string","null"],"enum":["x","\u00e9\ud83d\ude00",null]}},"required":["a"],"additionalProperties":false,"n":[-0.5e+10,0,1E3]}""",
        };
        var random = new Random(Seed);
        for (var i = 0; i < 5000; i++)
        {
            var json = Mutations.Mutate(documents[random.Next(documents.Length)], random);
            var expected = SystemTextJson.Accepts(json);
            var result = JsonParser.Parse(json);
            result.Succeeded.Should().Be(expected, $"seed {Seed}, variant {i}: System.Text.Json {(expected ? "accepts" : "rejects")} it; ours said: {result.Error}\n{json}");
        }
    }

    [Fact]
    public void The_rules_loader_never_throws_on_mutated_rules_files()
    {
        var rules = Repository.Read("rules", "canonical-stack.json");
        var random = new Random(Seed);
        for (var i = 0; i < 3000; i++)
        {
            var text = Mutations.Mutate(rules, random);
            var load = () => RulesLoader.Load(text, "mutated");
            var result = load.Should().NotThrow($"seed {Seed}, variant {i}").Subject;
            if (result.Rules is null)
            {
                result.Problems.Should().NotBeEmpty().And.OnlyContain(p => p.Start >= 0 && p.Start <= text.Length && p.Message.Length > 0);
            }
        }
    }
}
