using System;
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

        var walker = new StructuredOutputTypeWalker(start.Compilation, rules.Limits);
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
}
