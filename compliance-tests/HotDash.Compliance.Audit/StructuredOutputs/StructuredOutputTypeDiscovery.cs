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
/// GetResponseAsync&lt;Decision&gt; or ForJsonSchema&lt;Plan&gt;, names its type argument.
/// Types sent with typeof(T) leave no such trace; list them under structuredOutputs.types.
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

        return found.DistinctBy(f => f.TypeName).ToList();
    }

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
