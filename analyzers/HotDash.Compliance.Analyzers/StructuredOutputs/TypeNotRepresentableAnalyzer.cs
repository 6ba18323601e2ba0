using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
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
        context.RegisterCompilationStartAction(start => StructuredOutputTypeAnalysis.Register(start, Report));
    }

    private static void Report(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk)
    {
        var shapes = call.EntryPoint.GeneratedSchemaSendsValidationKeywords ? walk.Unrepresentable.Concat(walk.SentKeywordProblems) : walk.Unrepresentable;
        foreach (var shape in shapes)
        {
            var declaration = shape.Property?.Locations.FirstOrDefault(l => l.IsInSource);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TypeNotRepresentable,
                call.TypeLocation,
                declaration is null ? [] : [declaration],
                call.Type!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                shape.Reason));
        }
    }
}
