using System.Collections.Generic;
using System.Collections.Immutable;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.BannedApis;

/// <summary>
/// HD1003: use of an API the rules ban. Entries are documentation-comment IDs, as in
/// BannedSymbols.txt; banning a type or namespace bans its members.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BannedApiAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BannedApi);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var banned = Resolve(RulesProvider.Get(start).Rules, start.Compilation);
            if (banned.Count == 0)
            {
                // Nothing banned is referenced by this compilation: no per-operation cost at all.
                return;
            }

            start.RegisterOperationAction(
                c => Analyze(c, banned),
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.PropertyReference,
                OperationKind.FieldReference,
                OperationKind.EventReference,
                OperationKind.MethodReference,
                OperationKind.TypeOf);
        });
    }

    private static Dictionary<ISymbol, BannedApi> Resolve(HotDashRules rules, Compilation compilation)
    {
        var banned = new Dictionary<ISymbol, BannedApi>(SymbolEqualityComparer.Default);
        foreach (var api in rules.BannedApis)
        {
            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(api.SymbolId, compilation))
            {
                banned[symbol] = api;
            }
        }

        return banned;
    }

    private static void Analyze(OperationAnalysisContext context, Dictionary<ISymbol, BannedApi> banned)
    {
        ISymbol? used = context.Operation switch
        {
            IInvocationOperation i => i.TargetMethod.ReducedFrom ?? i.TargetMethod,
            IObjectCreationOperation o => o.Constructor,
            IPropertyReferenceOperation p => p.Property,
            IFieldReferenceOperation f => f.Field,
            IEventReferenceOperation e => e.Event,
            IMethodReferenceOperation m => m.Method,
            ITypeOfOperation t => t.TypeOperand,
            _ => null,
        };
        if (used is null)
        {
            return;
        }

        for (ISymbol? current = used; current is not null; current = current.ContainingSymbol)
        {
            if (banned.TryGetValue(current.OriginalDefinition, out var api) ||
                (current is IMethodSymbol { ConstructedFrom: { } generic } && banned.TryGetValue(generic, out api)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.BannedApi,
                    context.Operation.Syntax.GetLocation(),
                    used.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                    api.SymbolId,
                    api.Message));
                return;
            }

            if (current is INamespaceSymbol { IsGlobalNamespace: true })
            {
                return;
            }
        }
    }
}
