using System;
using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// The types a strict structured-output call sends, judged in one pass per call: rules, entry points and the type
/// walker are resolved once per compilation, each sent type is walked once, and the walk answers three rules.
/// <list type="bullet">
/// <item>HD2002: through an entry point whose schema leaves C#-optional properties out of 'required', such a property
/// whose type cannot be null: strict mode rejects the schema (the start-up crash); an optional field has to be nullable.</item>
/// <item>HD2004: through an SDK that generates its schema with every property required (as the captured requests of
/// Microsoft.Extensions.AI and Semantic Kernel show), the same property: the API accepts the schema, but the model
/// has to produce the property every time, so the C# default never applies.</item>
/// <item>HD2003: an open shape (dictionary, object, JsonElement, JsonNode, dynamic), a limit of strict mode exceeded,
/// or a validation keyword the SDK sends that the profile refuses.</item>
/// </list>
/// Each is reported where the type is sent (the type argument or typeof), which keeps the diagnostic local to the
/// analyzed code so the IDE shows it live; the property, when it is in source, is the additional location, where the
/// code fixes of HD2002 and HD2004 edit it. A compiled type's property cannot be fixed here; the test-time audit
/// reports it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StructuredOutputTypeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.OptionalPropertyNotNullable, Descriptors.TypeNotRepresentable, Descriptors.OptionalPropertyFilledByModel);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext start)
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
                    Report(context, call, walker.Walk(type, context.CancellationToken));
                }
            },
            OperationKind.Invocation,
            OperationKind.SimpleAssignment);
    }

    private static void Report(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk)
    {
        // Where the SDK lists every property as required, strict mode accepts the schema: HD2004 says what happens
        // instead of HD2002's rejection.
        if (call.EntryPoint.GeneratedSchemaRequiresEveryProperty)
        {
            ReportOptionalProperties(context, call, walk, Descriptors.OptionalPropertyFilledByModel,
                (property, reason, type) => [property.Name, property.ContainingType.Name, reason, call.EntryPoint.DisplayName, type]);
        }
        else
        {
            ReportOptionalProperties(context, call, walk, Descriptors.OptionalPropertyNotNullable,
                (property, reason, type) => [property.Name, property.ContainingType.Name, reason, type]);
        }

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

    /// <summary>One diagnostic per optional, non-nullable property declared in source, with the property as the additional location.</summary>
    private static void ReportOptionalProperties(OperationAnalysisContext context, StructuredOutputCall call, TypeWalkResult walk, DiagnosticDescriptor descriptor, Func<IPropertySymbol, string, string, object[]> arguments)
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
