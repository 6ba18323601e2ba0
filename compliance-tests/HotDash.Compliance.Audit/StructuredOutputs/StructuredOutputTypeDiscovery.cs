using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.StructuredOutputs;

/// <summary>A type an assembly sends to a structured-output API, and the call that sends it.</summary>
/// <summary>A type an assembly sends, and the entry point it is sent through (its rule, when discovered from metadata).</summary>
public sealed record DiscoveredType(string TypeName, string EntryPoint, EntryPointRule? Rule = null);

/// <summary>
/// Finds the structured-output types of a compiled assembly from its metadata, without running it:
/// every generic instantiation (MethodSpec) of an entry point of the rules, such as
/// GetResponseAsync&lt;Decision&gt; or ForJsonSchema&lt;Plan&gt;, names its type argument; and a property entry
/// point set to typeof(T) (Semantic Kernel's ResponseFormat = typeof(Plan)) is found in the method bodies, where the
/// compiler emits <c>ldtoken T</c> shortly before the setter call. Other ways to pass a Type (a variable, a field)
/// leave no such trace; list those types under structuredOutputs.types.
/// </summary>
public static class StructuredOutputTypeDiscovery
{
    public static IReadOnlyList<DiscoveredType> Discover(string assemblyPath, IReadOnlyList<EntryPointRule> entryPoints)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"{assemblyPath} is not a .NET assembly");
        }

        var reader = pe.GetMetadataReader();
        var wanted = entryPoints.ToDictionary(e => (Type: e.Method[..e.Method.LastIndexOf('.')], Member: e.Method[(e.Method.LastIndexOf('.') + 1)..]));
        var found = new List<DiscoveredType>();
        var rows = reader.GetTableRowCount(TableIndex.MethodSpec);
        for (var row = 1; row <= rows; row++)
        {
            var spec = reader.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            var (typeName, member) = MethodOwner(reader, spec.Method);
            if (typeName is null || !wanted.TryGetValue((typeName, member), out var rule))
            {
                continue;
            }

            var arguments = spec.DecodeSignature(new TypeNameProvider(), null);
            foreach (var argument in arguments.Where(a => a is not null))
            {
                found.Add(new DiscoveredType(argument!, $"{typeName[(typeName.LastIndexOf('.') + 1)..]}.{member}", rule));
            }
        }

        found.AddRange(TypeOfAssignments(pe, reader, entryPoints));
        return found.DistinctBy(f => f.TypeName).ToList();
    }

    /// <summary>How far (in IL instructions) a <c>ldtoken</c> may come before the setter it feeds: GetTypeFromHandle sits between.</summary>
    private const int TypeOfWindow = 3;

    private static readonly Dictionary<ushort, System.Reflection.Emit.OperandType> OperandTypes = typeof(System.Reflection.Emit.OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (System.Reflection.Emit.OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private static IEnumerable<DiscoveredType> TypeOfAssignments(PEReader pe, MetadataReader reader, IReadOnlyList<EntryPointRule> entryPoints)
    {
        var setters = entryPoints.Where(e => e.Kind == "type")
            .ToDictionary(e => (Type: e.Method[..e.Method.LastIndexOf('.')], Member: "set_" + e.Method[(e.Method.LastIndexOf('.') + 1)..]));
        if (setters.Count == 0)
        {
            yield break;
        }

        foreach (var handle in reader.MethodDefinitions)
        {
            var definition = reader.GetMethodDefinition(handle);
            if (definition.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var il = pe.GetMethodBody(definition.RelativeVirtualAddress).GetILReader();
            string? pendingType = null;
            var sinceToken = 0;
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = (ushort)(0xFE00 | il.ReadByte());
                }

                if (!OperandTypes.TryGetValue(code, out var operand))
                {
                    break; // Not IL we can read: leave this method.
                }

                sinceToken++;
                switch (operand)
                {
                    case System.Reflection.Emit.OperandType.InlineTok when code == 0xD0: // ldtoken
                        var token = MetadataTokens.EntityHandle(il.ReadInt32());
                        pendingType = token.Kind switch
                        {
                            HandleKind.TypeDefinition => TypeNameProvider.Name(reader, (TypeDefinitionHandle)token),
                            HandleKind.TypeReference => TypeNameProvider.Name(reader, (TypeReferenceHandle)token),
                            _ => null,
                        };
                        sinceToken = 0;
                        break;
                    case System.Reflection.Emit.OperandType.InlineMethod:
                        var (owner, member) = MethodOwner(reader, MetadataTokens.EntityHandle(il.ReadInt32()));
                        if (pendingType is not null && sinceToken <= TypeOfWindow && owner is not null && setters.TryGetValue((owner, member), out var rule))
                        {
                            yield return new DiscoveredType(pendingType, $"{owner[(owner.LastIndexOf('.') + 1)..]}.{member[4..]}", rule);
                            pendingType = null;
                        }

                        break;
                    case System.Reflection.Emit.OperandType.InlineSwitch:
                        il.Offset += 4 * il.ReadInt32();
                        break;
                    default:
                        il.Offset += OperandSize(operand);
                        break;
                }
            }
        }
    }

    private static int OperandSize(System.Reflection.Emit.OperandType operand) => operand switch
    {
        System.Reflection.Emit.OperandType.InlineNone => 0,
        System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
        System.Reflection.Emit.OperandType.InlineVar => 2,
        System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
        _ => 4,
    };

    private static (string? Type, string Member) MethodOwner(MetadataReader reader, EntityHandle method)
    {
        switch (method.Kind)
        {
            case HandleKind.MemberReference:
                var reference = reader.GetMemberReference((MemberReferenceHandle)method);
                var parent = reference.Parent.Kind switch
                {
                    HandleKind.TypeReference => TypeNameProvider.Name(reader, (TypeReferenceHandle)reference.Parent),
                    HandleKind.TypeDefinition => TypeNameProvider.Name(reader, (TypeDefinitionHandle)reference.Parent),
                    _ => null,
                };
                return (parent, reader.GetString(reference.Name));
            case HandleKind.MethodDefinition:
                var definition = reader.GetMethodDefinition((MethodDefinitionHandle)method);
                return (TypeNameProvider.Name(reader, definition.GetDeclaringType()), reader.GetString(definition.Name));
            default:
                return (null, string.Empty);
        }
    }

    /// <summary>Decodes type arguments to reflection-style full names (Outer+Inner); anything else is null.</summary>
    private sealed class TypeNameProvider : ISignatureTypeProvider<string?, object?>
    {
        public static string Name(MetadataReader reader, TypeDefinitionHandle handle)
        {
            var definition = reader.GetTypeDefinition(handle);
            var name = reader.GetString(definition.Name);
            var declaring = definition.GetDeclaringType();
            return declaring.IsNil
                ? Qualify(reader.GetString(definition.Namespace), name)
                : Name(reader, declaring) + "+" + name;
        }

        public static string Name(MetadataReader reader, TypeReferenceHandle handle)
        {
            var reference = reader.GetTypeReference(handle);
            var name = reader.GetString(reference.Name);
            return reference.ResolutionScope.Kind == HandleKind.TypeReference
                ? Name(reader, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name
                : Qualify(reader.GetString(reference.Namespace), name);
        }

        public string? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Name(reader, handle);

        public string? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Name(reader, handle);

        public string? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public string? GetGenericInstantiation(string? genericType, ImmutableArray<string?> typeArguments) => null;

        public string? GetSZArrayType(string? elementType) => null;

        public string? GetArrayType(string? elementType, ArrayShape shape) => null;

        public string? GetByReferenceType(string? elementType) => null;

        public string? GetPointerType(string? elementType) => null;

        public string? GetPinnedType(string? elementType) => null;

        public string? GetFunctionPointerType(MethodSignature<string?> signature) => null;

        public string? GetGenericMethodParameter(object? genericContext, int index) => null;

        public string? GetGenericTypeParameter(object? genericContext, int index) => null;

        public string? GetModifiedType(string? modifier, string? unmodifiedType, bool isRequired) => unmodifiedType;

        public string? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => null;

        private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
    }
}
