using System.Linq;
using System.Threading;
using HotDash.Compliance.Analyzers.Operations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>A schema argument followed to its constant JSON text, with a map into the literal when there is one.</summary>
internal sealed class SchemaSource
{
    public SchemaSource(string json, LiteralTextMap? map, Location fallback)
    {
        Json = json;
        Map = map;
        Fallback = fallback;
    }

    public string Json { get; }

    public LiteralTextMap? Map { get; }

    /// <summary>Where to report when the text cannot be mapped (a concatenation, say): the argument.</summary>
    public Location Fallback { get; }

    public Location Locate(int start, int length) => Map?.Locate(start, length) ?? Fallback;

    /// <summary>
    /// Follows an argument to its constant schema text: string constants (literals of every form, const
    /// fields and locals, concatenations, nameof), UTF-8 literals, BinaryData.FromString/FromBytes,
    /// new BinaryData(...), JsonDocument.Parse(...).RootElement, JsonElement.Parse, JsonSerializer.
    /// Deserialize&lt;JsonElement&gt;, Encoding.UTF8.GetBytes, and locals or fields with a single initializer.
    /// Anything else (a file, a runtime value) is not a literal and is left alone.
    /// </summary>
    public static SchemaSource? Resolve(IOperation? operation, Location fallback, CancellationToken cancellationToken, int depth = 0)
    {
        if (operation is null || depth > 8)
        {
            return null;
        }

        operation = operation.WithoutConversions();

        if (operation.ConstantValue is { HasValue: true, Value: string constant })
        {
            return new SchemaSource(constant, MapConstant(operation, constant, cancellationToken), fallback);
        }

        switch (operation)
        {
            case IUtf8StringOperation utf8 when utf8.Syntax is LiteralExpressionSyntax literal:
                return new SchemaSource(utf8.Value, LiteralTextMap.Create(literal.Token, utf8.Value), fallback);

            case IInvocationOperation invocation when IsUnwrappable(invocation.TargetMethod):
                var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == (invocation.TargetMethod.IsExtensionMethod ? 1 : 0))?.Value
                               ?? invocation.Instance;
                if (invocation.TargetMethod.Name == "ToArray" && invocation.Instance is not null)
                {
                    argument = invocation.Instance;
                }

                return Resolve(argument, fallback, cancellationToken, depth + 1);

            case IObjectCreationOperation creation when creation.Type?.Name == "BinaryData" && creation.Arguments.Length >= 1:
                return Resolve(creation.Arguments[0].Value, fallback, cancellationToken, depth + 1);

            case IPropertyReferenceOperation { Property.Name: "RootElement" } root:
                return Resolve(root.Instance, fallback, cancellationToken, depth + 1);

            case ILocalReferenceOperation local:
                return FromSingleInitializer(local.Local, operation, fallback, cancellationToken, depth);

            case IFieldReferenceOperation field when field.Field.IsReadOnly || field.Field.IsConst:
                return FromSingleInitializer(field.Field, operation, fallback, cancellationToken, depth);

            default:
                return null;
        }
    }

    private static bool IsUnwrappable(IMethodSymbol method)
    {
        var type = method.ContainingType?.ToDisplayString();
        return (type, method.Name) switch
        {
            ("System.BinaryData", "FromString" or "FromBytes") => true,
            ("System.Text.Json.JsonDocument", "Parse") => true,
            ("System.Text.Json.JsonElement", "Parse") => true,
            ("System.Text.Json.JsonSerializer", "Deserialize") => method.TypeArguments.Length == 1 && method.TypeArguments[0].Name == "JsonElement",
            ("System.Text.Encoding", "GetBytes") => true,
            ("System.ReadOnlySpan<byte>", "ToArray") => true,
            _ => false,
        };
    }

    /// <summary>A local or field with exactly one initializer and, for a local, no other assignment.</summary>
    private static SchemaSource? FromSingleInitializer(ISymbol symbol, IOperation use, Location fallback, CancellationToken cancellationToken, int depth)
    {
        if (symbol.DeclaringSyntaxReferences.Length != 1 ||
            symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } ||
            initializer.SyntaxTree != use.Syntax.SyntaxTree ||
            use.SemanticModel is not { } model)
        {
            return null;
        }

        if (symbol is ILocalSymbol && IsReassigned(symbol, use))
        {
            return null;
        }

        return Resolve(model.GetOperation(initializer, cancellationToken), fallback, cancellationToken, depth + 1);
    }

    private static bool IsReassigned(ISymbol local, IOperation use)
    {
        var root = use;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().Any(o =>
            (o is IAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local)) ||
            (o is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed } && SymbolEqualityComparer.Default.Equals(passed.Local, local)));
    }

    private static LiteralTextMap? MapConstant(IOperation operation, string value, CancellationToken cancellationToken)
    {
        SyntaxNode? syntax = operation.Syntax;
        if (operation is IFieldReferenceOperation { Field: { IsConst: true } field })
        {
            syntax = (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax)?.Initializer?.Value;
        }
        else if (operation is ILocalReferenceOperation { Local: { IsConst: true } local })
        {
            syntax = (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax)?.Initializer?.Value;
        }

        return syntax is LiteralExpressionSyntax literal ? LiteralTextMap.Create(literal.Token, value) : null;
    }
}
