using System;
using System.Linq;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// The compilation-wide set-up HD2002 and HD2003 share: rules, entry points and the type walker are
/// resolved once per compilation, and each analyzer is called with every strict call that sends a type
/// and what the walk of that type found.
/// </summary>
internal static class StructuredOutputTypeAnalysis
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisPerformance", "RS1012", Justification = "Registers for the calling analyzer.")]
    public static void Register(CompilationStartAnalysisContext start, Action<OperationAnalysisContext, StructuredOutputCall, TypeWalkResult> analyze)
    {
        var rules = RulesProvider.Get(start).Rules.StructuredOutputs;
        var entryPoints = EntryPoints.Resolve(start.Compilation, rules);
        if (entryPoints is null)
        {
            return;
        }

        // Keywords an SDK sends are only predicted when such an SDK's entry point exists in this compilation.
        var sendsKeywords = rules.EntryPoints.Any(e => e.GeneratedSchemaSendsValidationKeywords && start.Compilation.GetTypeByMetadataName(e.TypeName) is not null);
        var walker = new StructuredOutputTypeWalker(start.Compilation, rules.Profile, sendsKeywords);
        start.RegisterOperationAction(
            context =>
            {
                if (entryPoints.Match(context.Operation) is { Type: { } type } call)
                {
                    analyze(context, call, walker.Walk(type, context.CancellationToken));
                }
            },
            OperationKind.Invocation,
            OperationKind.SimpleAssignment);
    }

    /// <summary>
    /// HD2002 and HD2004 alike: one diagnostic per optional, non-nullable property declared in source, where the type
    /// is sent, with the property as the additional location (where the code fixes act). A compiled type's property
    /// cannot be fixed here; the test-time audit reports it.
    /// </summary>
    public static void ReportOptionalProperties(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk, DiagnosticDescriptor descriptor, Func<IPropertySymbol, string, string, object[]> arguments)
    {
        foreach (var optional in walk.Optional)
        {
            var property = optional.Property;
            if (property.Locations.FirstOrDefault(l => l.IsInSource) is not { } declaration)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                descriptor,
                call.TypeLocation,
                [declaration],
                arguments(property, optional.Reason, property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))));
        }
    }
}
