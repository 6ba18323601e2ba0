using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Tests.Robustness;

/// <summary>
/// Structured-output code cut off mid-literal or with bytes garbled, as it is while someone types:
/// every analyzer must finish without an exception (AD0001).
/// </summary>
public class TruncatedLiteralTests
{
    [Fact]
    public async Task Truncated_and_garbled_structured_output_code_never_makes_an_analyzer_throw()
    {
        var source = Repository.Read("samples", "HotDash.AgentService", "Agent", "AgentTools.cs")
                     + Repository.Read("samples", "HotDash.AgentService", "Agent", "DecisionAgent.cs").Replace("namespace HotDash.AgentService.Agent;", string.Empty)
                     + "\nusing System; using System.Threading; using System.Threading.Tasks;\n";
        var analyzers = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToArray();
        var random = new Random(20261125);
        var variants = 0;
        for (var cut = source.Length; cut > 0; cut -= 37)
        {
            var text = source[..cut];
            if (variants % 3 == 0)
            {
                var chars = text.ToCharArray();
                for (var i = 0; i < 3 && chars.Length > 0; i++)
                {
                    chars[random.Next(chars.Length)] = "{}[]\"\\:,u8$@\n"[random.Next(13)];
                }

                text = new string(chars);
            }

            var diagnostics = await AnalyzerRun.DiagnosticsAsync(text, analyzers);
            diagnostics.Should().NotContain(d => d.Id == "AD0001", $"variant {variants} (cut at {cut}) made an analyzer throw: {string.Join("; ", diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()))}");
            variants++;
        }

        variants.Should().BeGreaterThan(50);
    }
}

/// <summary>The harness above would see an analyzer exception: proven with one that always throws.</summary>
public class AnalyzerRunHarnessTests
{
    [Fact]
    public async Task An_analyzer_exception_surfaces_as_AD0001()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync("class C { string S = \"x\"; }", new ThrowingAnalyzer());
        diagnostics.Should().Contain(d => d.Id == "AD0001");
    }

#pragma warning disable RS1036, RS2008 // a test double, never shipped
    [Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly Microsoft.CodeAnalysis.DiagnosticDescriptor Rule = new("TEST0001", "t", "t", "t", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, true);

        public override System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(_ => throw new InvalidOperationException("boom"), Microsoft.CodeAnalysis.OperationKind.Literal);
        }
    }
}
#pragma warning restore RS1036, RS2008
