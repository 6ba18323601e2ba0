using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2003: a type sent to a strict structured-output API holds an open shape (dictionary, object,
/// JsonElement, JsonNode, dynamic) or exceeds strict mode's limits. Reported where the type is sent,
/// with the property (when it is in source) as the additional location.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypeNotRepresentableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TypeNotRepresentable);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var rules = RulesProvider.Get(start).Rules.StructuredOutputs;
            var entryPoints = EntryPoints.Resolve(start.Compilation, rules);
            if (entryPoints is null)
            {
                return;
            }

            var walker = new StructuredOutputTypeWalker(start.Compilation, rules.Limits);
            start.RegisterOperationAction(
                c =>
                {
                    if (entryPoints.Match(c.Operation) is not { Type: { } type } call)
                    {
                        return;
                    }

                    foreach (var shape in walker.Walk(type, c.CancellationToken).Unrepresentable)
                    {
                        var declaration = shape.Property?.Locations.FirstOrDefault(l => l.IsInSource);
                        c.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.TypeNotRepresentable,
                            call.TypeLocation,
                            declaration is null ? [] : [declaration],
                            type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                            shape.Reason));
                    }
                },
                OperationKind.Invocation,
                OperationKind.SimpleAssignment);
        });
    }
}
