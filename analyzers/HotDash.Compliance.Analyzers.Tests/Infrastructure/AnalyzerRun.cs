using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs analyzers over source with Roslyn's CompilationWithAnalyzers and returns every diagnostic,
/// analyzer exceptions (AD0001) included: for tests that check a message, and for robustness runs.
/// </summary>
internal static class AnalyzerRun
{
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. AnalyzerTest<HotDash.Compliance.Analyzers.Rules.RulesFileAnalyzer>.FrameworkReferences,
        .. AnalyzerTest<HotDash.Compliance.Analyzers.Rules.RulesFileAnalyzer>.ConfigurationReferences,
        .. AnalyzerTest<HotDash.Compliance.Analyzers.Rules.RulesFileAnalyzer>.StructuredOutputReferences,
    ];

    public static Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string source, params DiagnosticAnalyzer[] analyzers) =>
        DiagnosticsAsync([source], [], analyzers);

    public static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(IReadOnlyList<string> sources, IReadOnlyList<(string Path, string Text)> additionalFiles, DiagnosticAnalyzer[] analyzers, CancellationToken cancellationToken = default)
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview), path: $"/0/Test{i}.cs", cancellationToken: cancellationToken));
        var compilation = CSharpCompilation.Create(
            "Probe",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var options = new AnalyzerOptions([.. additionalFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text))]);
        var withAnalyzers = compilation.WithAnalyzers(
            [.. analyzers],
            new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var all = await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken);

        // Hidden compiler diagnostics (unnecessary usings) are noise here.
        return [.. all.Where(d => d.Severity != DiagnosticSeverity.Hidden)];
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
