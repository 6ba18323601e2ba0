using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2002: a type sent in strict mode through an entry point whose schema leaves C#-optional properties out of
/// 'required' has such a property whose type cannot be null: strict mode rejects the schema (the start-up crash),
/// and an optional field has to be nullable. Reported where the type is sent (the type argument or typeof), which keeps
/// the diagnostic local to the analyzed code so the IDE shows it live; the property is the additional
/// location, and the code fixes edit it there.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptionalPropertyNotNullableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OptionalPropertyNotNullable);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => StructuredOutputTypeAnalysis.Register(start, Report));
    }

    private static void Report(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk)
    {
        // Where the SDK lists every property as required, strict mode accepts the schema: HD2004 says what happens instead.
        if (call.EntryPoint.GeneratedSchemaRequiresEveryProperty)
        {
            return;
        }

        StructuredOutputTypeAnalysis.ReportOptionalProperties(context, call, walk, Descriptors.OptionalPropertyNotNullable,
            (property, reason, type) => [property.Name, property.ContainingType.Name, reason, type]);
    }
}
