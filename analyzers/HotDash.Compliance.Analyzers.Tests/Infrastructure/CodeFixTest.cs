using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HotDash.Compliance.Analyzers.Tests.Infrastructure;

/// <summary>Runs an analyzer and a code fix over markup source, checking the fixed source (and Fix All).</summary>
internal static class CodeFixTest<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource, string equivalenceKey, int iterations = 1, params DiagnosticResult[] expected) =>
        VerifyAsync(source, fixedSource, equivalenceKey, rulesJson: null, iterations, expected);

    /// <summary>With a rules file (/repo/hotdash.rules.json) before and after the fix.</summary>
    public static Task VerifyAsync(string source, string fixedSource, string equivalenceKey, string? rulesJson, int iterations = 1, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            ReferenceAssemblies = AnalyzerTest<TAnalyzer>.References,
            NumberOfFixAllIterations = iterations,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        if (rulesJson is not null)
        {
            test.TestState.AdditionalFiles.Add(("/repo/hotdash.rules.json", rulesJson));
            test.FixedState.AdditionalFiles.Add(("/repo/hotdash.rules.json", rulesJson));
        }

        test.TestState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.FrameworkReferences);
        test.TestState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.ConfigurationReferences);
        test.TestState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.StructuredOutputReferences);
        test.FixedState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.FrameworkReferences);
        test.FixedState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.ConfigurationReferences);
        test.FixedState.AdditionalReferences.AddRange(AnalyzerTest<TAnalyzer>.StructuredOutputReferences);
        return test.RunAsync();
    }
}
