using System.Collections.Immutable;
using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2004: a type sent in strict mode by an SDK that generates its schema with every property required (as the
/// captured requests of Microsoft.Extensions.AI and Semantic Kernel show) has a property C# treats as optional
/// whose type cannot be null. The API accepts the schema, so nothing crashes, but the model has to produce the
/// property every time: the C# default never applies. Reported where the type is sent, with the property as the
/// additional location; HD2002's code fixes (make it nullable, mark it required) apply.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptionalPropertyFilledByModelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OptionalPropertyFilledByModel);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => StructuredOutputTypeAnalysis.Register(start, Report));
    }

    private static void Report(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk)
    {
        if (!call.EntryPoint.GeneratedSchemaRequiresEveryProperty)
        {
            return;
        }

        StructuredOutputTypeAnalysis.ReportOptionalProperties(context, call, walk, Descriptors.OptionalPropertyFilledByModel,
            (property, reason, type) => [property.Name, property.ContainingType.Name, reason, call.EntryPoint.DisplayName, type]);
    }
}
