using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Tests.EndToEnd;

/// <summary>
/// Real public C# files that use the structured-output APIs (TestData/corpus, provenance in SOURCES.md), unmodified,
/// through every analyzer with the canonical rules: exactly the expected HD diagnostics, so a false alarm fails, and
/// no analyzer exception. The files compile beside their projects' implicit usings and stand-ins for their test
/// harnesses; the Azure packages and Semantic Kernel's Azure connector are not referenced, so the only compiler errors
/// left are unresolved members of those, never in the structured-output calls the analyzers judge.
/// </summary>
public sealed class PublicCorpusTests
{
    private static readonly DiagnosticAnalyzer[] AllAnalyzers = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToArray();

    /// <summary>Per file, the HD diagnostics expected ("ID line:column"); none means a false alarm would be any at all.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        // ChatResponseFormat.CreateJsonSchemaFormat(..., jsonSchemaIsStrict: true) with a schema strict mode accepts.
        ["openai__openai-dotnet__examples__Chat__Example06_StructuredOutputs.cs"] = [],
        // A strict schema literal, and ResponseFormat = typeof(MovieResult) / typeof(EmailResult): always strict, no optional property.
        ["microsoft__semantic-kernel__dotnet__samples__Concepts__ChatCompletion__OpenAI_StructuredOutputs.cs"] = [],
        // GetResponseAsync<Sentiment> and <SentimentRecord> without strict options: Microsoft.Extensions.AI sends them non-strict.
        ["dotnet__docs__docs__ai__quickstarts__snippets__structured-output__Program.cs"] = [],
    };

    private static readonly string[] UnresolvedNameErrors = ["CS0246", "CS0103", "CS1061", "CS0234", "CS8805"];

    /// <summary>
    /// What the files' own projects give them: the SDK's implicit global usings, and the smallest stand-ins for their
    /// test harnesses and Azure credentials (names only; the analyzers never look inside them).
    /// </summary>
    private const string Harness = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;

        namespace NUnit.Framework { public sealed class TestAttribute : Attribute { } }
        namespace Azure.Identity
        {
            public sealed class AzureCliCredential { }
            public sealed class DefaultAzureCredentialOptions { public string? TenantId { get; set; } }
            public sealed class DefaultAzureCredential { public DefaultAzureCredential(DefaultAzureCredentialOptions options) { } }
        }

        public sealed class FactAttribute : Attribute { }
        public interface ITestOutputHelper { void WriteLine(string message); }
        public abstract class BaseTest(ITestOutputHelper output) { protected ITestOutputHelper Output { get; } = output; }
        public static class TestConfiguration
        {
            public static class OpenAI { public static string ApiKey => ""; }
            public static class AzureOpenAI { public static string ChatDeploymentName => ""; public static string Endpoint => ""; }
        }
        """;

    public static TheoryData<string> Files() => new(Expected.Keys);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_real_file_gets_exactly_its_expected_diagnostics(string file)
    {
        var source = Repository.Read("analyzers", "HotDash.Compliance.Analyzers.Tests", "TestData", "corpus", file);
        var diagnostics = await AnalyzerRun.DiagnosticsAsync([source, Harness], [], AllAnalyzers, TestContext.Current.CancellationToken);

        diagnostics.Should().NotContain(d => d.Id == "AD0001", "an analyzer must never throw");
        diagnostics.Where(d => d.Id.StartsWith("HD", StringComparison.Ordinal))
            .Select(d => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition.Line + 1}:{d.Location.GetLineSpan().StartLinePosition.Character + 1}")
            .Should().Equal(Expected[file], string.Join("\n", diagnostics.Where(d => d.Id.StartsWith("HD", StringComparison.Ordinal)).Select(d => d.ToString())));
        diagnostics.Should().NotContain(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS", StringComparison.Ordinal) && !UnresolvedNameErrors.Contains(d.Id),
            "only members of the packages left out are unresolved");
    }

    [Fact]
    public void Every_corpus_file_has_its_provenance_and_an_expectation()
    {
        var folder = Repository.PathOf("analyzers", "HotDash.Compliance.Analyzers.Tests", "TestData", "corpus");
        var sources = File.ReadAllText(Path.Combine(folder, "SOURCES.md"));
        foreach (var file in Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName))
        {
            Expected.Should().ContainKey(file!);
            sources.Should().Contain(file!);
        }
    }
}
