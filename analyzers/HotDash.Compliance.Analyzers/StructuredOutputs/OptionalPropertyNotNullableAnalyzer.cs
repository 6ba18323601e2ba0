using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// HD2002: a type sent to a strict structured-output API has a property C# lets be absent but whose type
/// cannot be null: strict mode requires every property, so the model must produce it, and an optional
/// field has to be nullable. Reported where the type is sent (the type argument or typeof), which keeps
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
        foreach (var optional in walk.Optional)
        {
            var property = optional.Property;
            var declaration = property.Locations.FirstOrDefault(l => l.IsInSource);
            if (declaration is null)
            {
                // A property of a compiled type cannot be fixed here; the test-time audit reports it.
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.OptionalPropertyNotNullable,
                call.TypeLocation,
                [declaration],
                property.Name,
                property.ContainingType.Name,
                optional.Reason,
                property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }
    }
}
