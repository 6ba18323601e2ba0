using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Analyzers.Operations;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>What a call to an entry point sends: a schema value, or a type to be turned into a schema.</summary>
internal sealed class StructuredOutputCall
{
    public StructuredOutputCall(EntryPoint entryPoint, IOperation? schema, ITypeSymbol? type, Location typeLocation)
    {
        EntryPoint = entryPoint;
        Schema = schema;
        Type = type;
        TypeLocation = typeLocation;
    }

    public EntryPoint EntryPoint { get; }

    /// <summary>The schema argument (a literal, BinaryData, JsonElement ...), when the call sends one.</summary>
    public IOperation? Schema { get; }

    /// <summary>The type argument or typeof() operand, when the call sends a type.</summary>
    public ITypeSymbol? Type { get; }

    public Location TypeLocation { get; }
}

/// <summary>
/// The structured-output entry points of the rules, resolved once per compilation to symbols, and
/// matched against invocations and property assignments. Only strict calls are returned: the
/// strict parameter is the constant true, the options set the strict additional property, or the entry
/// point is always strict (each as the SDK's captured request shows, see docs/rules/HD2002.md).
/// </summary>
internal sealed class EntryPoints
{
    private readonly Dictionary<INamedTypeSymbol, List<EntryPoint>> _byType;
    private readonly HashSet<string> _members;

    private EntryPoints(Dictionary<INamedTypeSymbol, List<EntryPoint>> byType)
    {
        _byType = byType;
        _members = new HashSet<string>(byType.Values.SelectMany(e => e).Select(e => e.Member), System.StringComparer.Ordinal);
    }

    public static EntryPoints? Resolve(Compilation compilation, StructuredOutputRules rules)
    {
        var byType = new Dictionary<INamedTypeSymbol, List<EntryPoint>>(SymbolEqualityComparer.Default);
        foreach (var entry in rules.EntryPoints)
        {
            if (compilation.GetTypeByMetadataName(entry.TypeName) is not { } type)
            {
                continue;
            }

            if (!byType.TryGetValue(type, out var list))
            {
                byType[type] = list = [];
            }

            list.Add(entry);
        }

        return byType.Count == 0 ? null : new EntryPoints(byType);
    }

    public StructuredOutputCall? Match(IOperation operation) => operation switch
    {
        // A name comparison first: almost no call is to an entry point.
        IInvocationOperation invocation when _members.Contains(invocation.TargetMethod.Name) => MatchInvocation(invocation),
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment when _members.Contains(property.Property.Name) => MatchProperty(property.Property, assignment.Value),
        _ => null,
    };

    private StructuredOutputCall? MatchInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        var entry = Find(method.ContainingType, method.Name);
        if (entry is null || !IsStrict(invocation, entry))
        {
            return null;
        }

        var target = invocation.TargetMethod;
        if (target.TypeArguments.Length == 1)
        {
            // GetResponseAsync<Decision>(...): the type argument as written, else the whole call.
            var typeArgument = invocation.Syntax.DescendantNodes(n => n is not Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentListSyntax)
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax>()
                .FirstOrDefault(g => g.Identifier.ValueText == target.Name)?.TypeArgumentList.Arguments.FirstOrDefault();
            return new StructuredOutputCall(entry, null, target.TypeArguments[0], (typeArgument ?? invocation.Syntax).GetLocation());
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.WithoutConversions() is ITypeOfOperation typeOf)
            {
                return new StructuredOutputCall(entry, null, typeOf.TypeOperand, typeOf.Syntax.GetLocation());
            }
        }

        var schema = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == entry.SchemaParameter);
        return schema is null ? null : new StructuredOutputCall(entry, schema.Value, null, schema.Syntax.GetLocation());
    }

    private StructuredOutputCall? MatchProperty(IPropertySymbol property, IOperation value)
    {
        var entry = Find(property.ContainingType, property.Name);
        if (entry is null || !entry.AlwaysStrict)
        {
            return null;
        }

        return value.WithoutConversions() is ITypeOfOperation typeOf
            ? new StructuredOutputCall(entry, null, typeOf.TypeOperand, typeOf.Syntax.GetLocation())
            : null;
    }

    private EntryPoint? Find(INamedTypeSymbol? type, string member)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (_byType.TryGetValue(current.OriginalDefinition, out var entries) && entries.FirstOrDefault(e => e.Member == member) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    private static bool IsStrict(IInvocationOperation invocation, EntryPoint entry)
    {
        if (entry.AlwaysStrict)
        {
            return true;
        }

        if (entry.StrictOptionsParameter is { } optionsParameter && entry.StrictAdditionalProperty is { } key)
        {
            var options = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == optionsParameter);
            return options is not null && SetsAdditionalProperty(options.Value.WithoutConversions(), key, invocation.SemanticModel);
        }

        var strict = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == entry.StrictParameter);
        return strict is not null && strict.Value.WithoutConversions().ConstantValue is { HasValue: true, Value: true };
    }

    /// <summary>
    /// The options are created here, or in the local or readonly field of this file they name (its initializer), with
    /// AdditionalProperties[key] set to the constant true: an indexer initializer (<c>["strict"] = true</c>) or an Add
    /// (<c>{ "strict", true }</c>). Options built elsewhere are not followed, and count as not strict: no finding rather
    /// than a guess.
    /// </summary>
    private static bool SetsAdditionalProperty(IOperation options, string key, SemanticModel? semanticModel)
    {
        var declared = options switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation { Field.IsReadOnly: true } field => field.Field,
            _ => (ISymbol?)null,
        };
        if (declared is not null && semanticModel is not null)
        {
            var declarator = declared.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax;
            if (declarator?.Initializer?.Value is not { } initializer || !ReferenceEquals(declarator.SyntaxTree, semanticModel.SyntaxTree))
            {
                return false;
            }

            options = semanticModel.GetOperation(initializer)?.WithoutConversions() ?? options;
        }

        if (options is not IObjectCreationOperation { Initializer: { } initializers })
        {
            return false;
        }

        foreach (var member in initializers.Initializers)
        {
            var value = member switch
            {
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "AdditionalProperties" } } assignment => assignment.Value.WithoutConversions(),
                IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation { Property.Name: "AdditionalProperties" } } nested => nested.Initializer,
                _ => null,
            };
            if (value is not null && value.DescendantsAndSelf().Any(o => IsTrueEntry(o, key)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTrueEntry(IOperation operation, string key) => operation switch
    {
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment =>
            IsConstant(indexer.Arguments[0].Value, key) && IsConstant(assignment.Value, true),
        IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add =>
            IsConstant(add.Arguments[0].Value, key) && IsConstant(add.Arguments[1].Value, true),
        _ => false,
    };

    private static bool IsConstant(IOperation value, object expected) =>
        value.WithoutConversions().ConstantValue is { HasValue: true } constant && Equals(constant.Value, expected);
}
