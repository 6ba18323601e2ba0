using System.Collections.Generic;
using System.Linq;
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
            var banned = BannedSymbols.Resolve(RulesProvider.Get(start).Rules, start.Compilation);
            if (banned is null)
            {
                // Nothing banned is referenced by this compilation: no per-operation cost at all.
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, banned), banned.OperationKinds);
        });
    }

    private static void Analyze(OperationAnalysisContext context, BannedSymbols banned)
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
        if (used is null || banned.Find(used) is not { } api)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.BannedApi,
            context.Operation.Syntax.GetLocation(),
            used.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            api.SymbolId,
            api.Message));
    }

    /// <summary>
    /// The banned symbols of one compilation, split by kind so the common case (a few banned members)
    /// costs one dictionary lookup per relevant operation, and only the operation kinds that can
    /// reach a banned symbol are analyzed at all.
    /// </summary>
    private sealed class BannedSymbols
    {
        private readonly Dictionary<ISymbol, BannedApi> _members = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, BannedApi> _containers = new(SymbolEqualityComparer.Default);
        private readonly HashSet<string> _memberNames = new(System.StringComparer.Ordinal);

        public ImmutableArray<OperationKind> OperationKinds { get; private set; }

        public static BannedSymbols? Resolve(HotDashRules rules, Compilation compilation)
        {
            var result = new BannedSymbols();
            var kinds = new HashSet<OperationKind>();
            foreach (var api in rules.BannedApis)
            {
                foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(api.SymbolId, compilation))
                {
                    switch (symbol)
                    {
                        case IMethodSymbol { MethodKind: MethodKind.Constructor }:
                            result._members[symbol] = api;
                            kinds.Add(OperationKind.ObjectCreation);
                            break;
                        case IMethodSymbol:
                            result._members[symbol] = api;
                            kinds.Add(OperationKind.Invocation);
                            kinds.Add(OperationKind.MethodReference);
                            break;
                        case IPropertySymbol:
                            result._members[symbol] = api;
                            kinds.Add(OperationKind.PropertyReference);
                            break;
                        case IFieldSymbol:
                            result._members[symbol] = api;
                            kinds.Add(OperationKind.FieldReference);
                            break;
                        case IEventSymbol:
                            result._members[symbol] = api;
                            kinds.Add(OperationKind.EventReference);
                            break;
                        default:
                            // A type or namespace bans every member: all kinds of use.
                            result._containers[symbol] = api;
                            kinds.UnionWith(new[]
                            {
                                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.PropertyReference, OperationKind.FieldReference,
                                OperationKind.EventReference, OperationKind.MethodReference, OperationKind.TypeOf,
                            });
                            break;
                    }
                }
            }

            if (kinds.Count == 0)
            {
                return null;
            }

            result._memberNames.UnionWith(result._members.Keys.Select(m => m.Name));

            result.OperationKinds = kinds.ToImmutableArray();
            return result;
        }

        public BannedApi? Find(ISymbol used)
        {
            if (_containers.Count == 0 && !_memberNames.Contains(used.Name))
            {
                // The common case: a name comparison, no symbol hashing.
                return null;
            }

            if (_members.Count > 0 &&
                (_members.TryGetValue(used.OriginalDefinition, out var api) ||
                 (used is IMethodSymbol { ConstructedFrom: { } generic } && _members.TryGetValue(generic.OriginalDefinition, out api))))
            {
                return api;
            }

            if (_containers.Count == 0)
            {
                return null;
            }

            for (var current = used; current is not null; current = current.ContainingSymbol)
            {
                if (_containers.TryGetValue(current.OriginalDefinition, out var container))
                {
                    return container;
                }

                if (current is INamespaceSymbol { IsGlobalNamespace: true })
                {
                    break;
                }
            }

            return null;
        }
    }
}
