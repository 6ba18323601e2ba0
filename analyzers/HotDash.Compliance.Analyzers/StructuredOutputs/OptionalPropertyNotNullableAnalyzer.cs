using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2002: a type sent to a strict structured-output API has a property C# lets be absent but whose type
/// cannot be null: strict mode requires every property, so the model must produce it, and an optional
/// field has to be nullable. Reported once per property, on the property, with code fixes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptionalPropertyNotNullableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OptionalPropertyNotNullable);

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
            var reported = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(
                c =>
                {
                    if (entryPoints.Match(c.Operation) is not { Type: { } type } call)
                    {
                        return;
                    }

                    foreach (var optional in walker.Walk(type, c.CancellationToken).Optional)
                    {
                        var property = optional.Property;
                        var location = property.Locations.FirstOrDefault(l => l.IsInSource);
                        if (location is null || !reported.TryAdd(property, true))
                        {
                            continue;
                        }

                        c.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.OptionalPropertyNotNullable,
                            location,
                            [call.TypeLocation],
                            property.Name,
                            property.ContainingType.Name,
                            optional.Reason,
                            property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
                    }
                },
                OperationKind.Invocation,
                OperationKind.SimpleAssignment);
        });
    }
}
