using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HotDash.Compliance.StructuredOutputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>A property that C# lets be absent while its type cannot hold null (HD2002).</summary>
internal sealed class OptionalProperty
{
    public OptionalProperty(IPropertySymbol property, string reason)
    {
        Property = property;
        Reason = reason;
    }

    public IPropertySymbol Property { get; }

    public string Reason { get; }
}

/// <summary>Something strict mode cannot express (HD2003), and the property it comes through, if any.</summary>
internal sealed class UnrepresentableShape
{
    public UnrepresentableShape(IPropertySymbol? property, string reason)
    {
        Property = property;
        Reason = reason;
    }

    public IPropertySymbol? Property { get; }

    public string Reason { get; }
}

/// <summary>What the walk of one structured-output type found.</summary>
internal sealed class TypeWalkResult
{
    public List<OptionalProperty> Optional { get; } = [];

    public List<UnrepresentableShape> Unrepresentable { get; } = [];

    /// <summary>
    /// What the selected profile rejects among the keywords an SDK that sends validation keywords writes for these
    /// properties (format, pattern, minimum ...): reported only for such entry points.
    /// </summary>
    public List<UnrepresentableShape> SentKeywordProblems { get; } = [];
}

/// <summary>
/// Walks a type the way System.Text.Json serializes it (public instance properties, [JsonIgnore],
/// [JsonRequired], `required`, nullable annotations, collections, enums, nested and recursive types)
/// and records what strict mode cannot take. Results are cached per compilation and type.
/// </summary>
internal sealed class StructuredOutputTypeWalker
{
    private readonly StrictProfile _profile;
    private readonly bool _predictSentKeywords;
    private readonly StrictLimits _limits;
    private readonly ConcurrentDictionary<ITypeSymbol, TypeWalkResult> _cache = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _jsonIgnore;
    private readonly INamedTypeSymbol? _jsonRequired;
    private readonly INamedTypeSymbol? _defaultValue;
    private readonly INamedTypeSymbol? _enumerable;
    private readonly INamedTypeSymbol? _dictionary;
    private readonly INamedTypeSymbol? _readOnlyDictionary;
    private readonly INamedTypeSymbol? _nonGenericDictionary;
    private readonly Dictionary<ITypeSymbol, string> _formats = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _timeSpan;
    private readonly Dictionary<ITypeSymbol, string> _annotations = new(SymbolEqualityComparer.Default);

    public StructuredOutputTypeWalker(Compilation compilation, StrictProfile profile, bool predictSentKeywords = true)
    {
        _profile = profile;
        _predictSentKeywords = predictSentKeywords;
        _limits = profile.Limits;
        _jsonIgnore = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonIgnoreAttribute");
        _jsonRequired = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonRequiredAttribute");
        _defaultValue = compilation.GetTypeByMetadataName("System.ComponentModel.DefaultValueAttribute");
        _enumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
        _dictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2");
        _readOnlyDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
        _nonGenericDictionary = compilation.GetTypeByMetadataName("System.Collections.IDictionary");
        foreach (var (metadataName, format) in new[]
        {
            ("System.DateTime", "date-time"), ("System.DateTimeOffset", "date-time"), ("System.Guid", "uuid"),
            ("System.Uri", "uri"), ("System.DateOnly", "date"), ("System.TimeOnly", "time"),
        })
        {
            if (compilation.GetTypeByMetadataName(metadataName) is { } formatted)
            {
                _formats[formatted] = format;
            }
        }

        _timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        foreach (var annotation in new[] { "Range", "StringLength", "MinLength", "MaxLength", "Length", "RegularExpression", "EmailAddress", "Url" })
        {
            if (compilation.GetTypeByMetadataName(DataAnnotations + annotation + "Attribute") is { } attribute)
            {
                _annotations[attribute] = annotation;
            }
        }
    }

    public TypeWalkResult Walk(ITypeSymbol root, CancellationToken cancellationToken) =>
        _cache.GetOrAdd(root, r => new Run(this, cancellationToken).Start(r));

    /// <summary>
    /// The keywords a schema generator that sends validation keywords writes for a property, as captured from Semantic
    /// Kernel's strict request (SdkRequestCaptureTests): formats for date, time, Guid and Uri types, the TimeSpan pattern,
    /// and DataAnnotations ([Range], [StringLength], [MinLength], [MaxLength], [Length], [RegularExpression],
    /// [EmailAddress], [Url]); then what the profile says of each.
    /// </summary>
    private IEnumerable<UnrepresentableShape> SentKeywordProblems(IPropertySymbol property)
    {
        foreach (var (keyword, value, cause) in SentKeywords(property))
        {
            var where = $"property '{property.ContainingType.Name}.{property.Name}'";
            if (_profile.Rejects(keyword))
            {
                yield return new UnrepresentableShape(property, $"{where} is sent with '{keyword}' ({cause}), and profile '{_profile.Name}' answers \"'{keyword}' is not permitted.\"; remove the constraint, or check it in code after the answer");
            }
            else if (keyword == "format" && _profile.Formats is { } formats && value is not null && !formats.Contains(value))
            {
                yield return new UnrepresentableShape(property, $"{where} is sent with format '{value}' ({cause}), and profile '{_profile.Name}' answers \"'{value}' is not a valid format.\"; use a string without the format, or one of {string.Join(", ", formats)}");
            }
            else if (keyword == "pattern" && value is not null)
            {
                var analysis = PatternGrammar.Analyze(value);
                foreach (var construct in analysis.Constructs.Where(c => _profile.RejectedPatternConstructs.Contains(c)))
                {
                    yield return new UnrepresentableShape(property, $"{where} is sent with a pattern using {construct} ({cause}), which profile '{_profile.Name}' refuses; rewrite the pattern without it");
                }
            }
        }
    }

    private IEnumerable<(string Keyword, string? Value, string Cause)> SentKeywords(IPropertySymbol property)
    {
        var type = Unwrap(property.Type);
        var element = type is IArrayTypeSymbol array ? array.ElementType : type.SpecialType == SpecialType.System_String ? null : ElementOfSequence(type);
        var isSequence = element is not null;
        var candidate = isSequence ? Unwrap(element!) : type;
        if (_formats.TryGetValue(candidate, out var format))
        {
            yield return ("format", format, $"its type is {candidate.Name}");
        }
        else if (SymbolEqualityComparer.Default.Equals(candidate, _timeSpan))
        {
            yield return ("pattern", TimeSpanPattern, "its type is TimeSpan");
        }

        if (_annotations.Count == 0)
        {
            yield break;
        }

        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass is null || !_annotations.TryGetValue(attribute.AttributeClass, out var annotation))
            {
                continue;
            }

            var cause = "[" + annotation + "]";
            var length = isSequence ? "Items" : "Length";
            switch (annotation)
            {
                case "Range":
                    yield return ("minimum", null, cause);
                    yield return ("maximum", null, cause);
                    break;
                case "StringLength":
                    if (attribute.NamedArguments.Any(a => a.Key == "MinimumLength" && a.Value.Value is int and > 0))
                    {
                        yield return ("minLength", null, cause);
                    }

                    yield return ("maxLength", null, cause);
                    break;
                case "MinLength":
                    yield return ("min" + length, null, cause);
                    break;
                case "MaxLength":
                    yield return ("max" + length, null, cause);
                    break;
                case "Length":
                    yield return ("min" + length, null, cause);
                    yield return ("max" + length, null, cause);
                    break;
                case "RegularExpression":
                    yield return ("pattern", attribute.ConstructorArguments.FirstOrDefault().Value as string, cause);
                    break;
                case "EmailAddress":
                    yield return ("format", "email", cause);
                    break;
                case "Url":
                    yield return ("format", "uri", cause);
                    break;
            }
        }
    }

    private const string DataAnnotations = "System.ComponentModel.DataAnnotations.";

    /// <summary>The pattern System.Text.Json's schema exporter writes for TimeSpan (captured).</summary>
    private const string TimeSpanPattern = @"^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{1,7})?$";

    private static ITypeSymbol Unwrap(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    private ITypeSymbol? ElementOfSequence(ITypeSymbol type) =>
        type.AllInterfaces.Concat(type is INamedTypeSymbol named ? [named] : [])
            .FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, _enumerable))?.TypeArguments[0];

    private sealed class Run
    {
        private readonly StructuredOutputTypeWalker _walker;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<ITypeSymbol> _visiting = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ITypeSymbol> _seen = new(SymbolEqualityComparer.Default);
        private readonly TypeWalkResult _result = new();
        private int _properties;
        private int _enumValues;
        private bool _depthReported;

        public Run(StructuredOutputTypeWalker walker, CancellationToken cancellationToken)
        {
            _walker = walker;
            _cancellationToken = cancellationToken;
        }

        public TypeWalkResult Start(ITypeSymbol root)
        {
            Type(root, null, 0);
            var limits = _walker._limits;
            if (_properties > limits.MaxObjectProperties)
            {
                _result.Unrepresentable.Add(new UnrepresentableShape(null, $"it has {_properties} object properties in total; strict mode allows {limits.MaxObjectProperties}"));
            }

            if (_enumValues > limits.MaxEnumValues)
            {
                _result.Unrepresentable.Add(new UnrepresentableShape(null, $"its enums have {_enumValues} values in total; strict mode allows {limits.MaxEnumValues}"));
            }

            return _result;
        }

        private void Type(ITypeSymbol type, IPropertySymbol? via, int depth)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
            {
                Open(via, $"{Describe(via)} is '{type.ToDisplayString()}', an open shape; give it a concrete type");
                return;
            }

            if (IsLeaf(type))
            {
                return;
            }

            var name = type.ToDisplayString();
            if (name.StartsWith("System.Text.Json.JsonElement", System.StringComparison.Ordinal) ||
                name.StartsWith("System.Text.Json.JsonDocument", System.StringComparison.Ordinal) ||
                name.StartsWith("System.Text.Json.Nodes.", System.StringComparison.Ordinal) ||
                name == "System.Dynamic.ExpandoObject")
            {
                Open(via, $"{Describe(via)} is '{type.Name}', which can hold any JSON; give it a concrete type");
                return;
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                if (_seen.Add(type))
                {
                    _enumValues += type.GetMembers().OfType<IFieldSymbol>().Count(f => f.HasConstantValue);
                }

                return;
            }

            if (IsDictionary(type))
            {
                Open(via, $"{Describe(via)} is a dictionary ('{type.ToDisplayString()}'): its keys are open, and strict mode needs additionalProperties false. Use a class with fixed properties, or a list of key/value records");
                return;
            }

            if (type is IArrayTypeSymbol array)
            {
                Type(array.ElementType, via, depth);
                return;
            }

            if (ElementOf(type) is { } element)
            {
                Type(element, via, depth);
                return;
            }

            if (type is not INamedTypeSymbol named || !_visiting.Add(named))
            {
                // Recursive types are fine in strict mode ($ref); the walk stops here.
                return;
            }

            depth++;
            if (depth > _walker._limits.MaxNestingDepth && !_depthReported)
            {
                _depthReported = true;
                Open(via, $"objects are nested {depth} levels deep at {Describe(via)}; strict mode allows {_walker._limits.MaxNestingDepth}");
            }

            var first = _seen.Add(named);
            foreach (var property in SerializedProperties(named))
            {
                if (first)
                {
                    _properties++;
                    if (OptionalReason(property) is { } reason && !CanBeNull(property.Type))
                    {
                        _result.Optional.Add(new OptionalProperty(property, reason));
                    }

                    if (_walker._predictSentKeywords)
                    {
                        _result.SentKeywordProblems.AddRange(_walker.SentKeywordProblems(property));
                    }
                }

                Type(property.Type, property, depth);
            }

            _visiting.Remove(named);
        }

        private void Open(IPropertySymbol? via, string reason)
        {
            if (_result.Unrepresentable.All(u => !SymbolEqualityComparer.Default.Equals(u.Property, via) || via is null && u.Reason != reason))
            {
                _result.Unrepresentable.Add(new UnrepresentableShape(via, reason));
            }
        }

        private static string Describe(IPropertySymbol? via) => via is null ? "the type itself" : $"property '{via.ContainingType.Name}.{via.Name}'";

        private IEnumerable<IPropertySymbol> SerializedProperties(INamedTypeSymbol type)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public ||
                        property.GetMethod is not { DeclaredAccessibility: Accessibility.Public } || !names.Add(property.Name) ||
                        IgnoredAlways(property))
                    {
                        continue;
                    }

                    yield return property;
                }
            }
        }

        private bool IgnoredAlways(IPropertySymbol property)
        {
            var ignore = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _walker._jsonIgnore));
            if (ignore is null)
            {
                return false;
            }

            var condition = ignore.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value;
            return condition.IsNull || condition.Value is null or 1; // JsonIgnoreCondition.Always
        }

        /// <summary>Why C# lets the property be absent, or null when it must be present.</summary>
        private string? OptionalReason(IPropertySymbol property)
        {
            if (property.IsRequired || property.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _walker._jsonRequired)))
            {
                return null;
            }

            var ignore = property.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _walker._jsonIgnore));
            if (ignore?.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value is 2 or 3)
            {
                return "[JsonIgnore(Condition = WhenWritingDefault/WhenWritingNull)] omits it";
            }

            if (property.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _walker._defaultValue)))
            {
                return "it has [DefaultValue]";
            }

            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax(_cancellationToken))
                {
                    case PropertyDeclarationSyntax { Initializer: { } initializer } when !IsTypeDefault(initializer.Value):
                        return "it has a default value";
                    case ParameterSyntax { Default: { } parameterDefault } when !IsTypeDefault(parameterDefault.Value):
                        return "its constructor parameter has a default value";
                }
            }

            return null;
        }

        /// <summary>
        /// `= default!`, `= null!`, `= default`, `= 0`, `= false`: the value the property has anyway when the JSON lacks it.
        /// `= default!` is the nullable-annotation idiom for "always set by the deserializer", not a default: such a
        /// property is not optional (the test-time audit, comparing with a default instance, agrees).
        /// </summary>
        private static bool IsTypeDefault(ExpressionSyntax value)
        {
            while (true)
            {
                switch (value)
                {
                    case PostfixUnaryExpressionSyntax suppressed when suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                        value = suppressed.Operand;
                        continue;
                    case ParenthesizedExpressionSyntax parenthesized:
                        value = parenthesized.Expression;
                        continue;
                    case DefaultExpressionSyntax:
                        return true;
                    case LiteralExpressionSyntax literal:
                        return literal.Kind() switch
                        {
                            SyntaxKind.NullLiteralExpression or SyntaxKind.DefaultLiteralExpression or SyntaxKind.FalseLiteralExpression => true,
                            SyntaxKind.NumericLiteralExpression => literal.Token.Value is IConvertible number && number.ToDouble(System.Globalization.CultureInfo.InvariantCulture) == 0,
                            _ => false,
                        };
                    default:
                        return false;
                }
            }
        }

        private static bool CanBeNull(ITypeSymbol type) =>
            type.IsReferenceType
                ? type.NullableAnnotation != NullableAnnotation.NotAnnotated
                : type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

        private static bool IsLeaf(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                case SpecialType.System_Char:
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Decimal:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_String:
                case SpecialType.System_DateTime:
                    return true;
            }

            return type.ToDisplayString() is "System.DateTimeOffset" or "System.Guid" or "System.TimeSpan" or "System.DateOnly" or "System.TimeOnly" or "System.Uri" or "System.Version";
        }

        private bool IsDictionary(ITypeSymbol type) =>
            Implements(type, _walker._dictionary) || Implements(type, _walker._readOnlyDictionary) ||
            (_walker._nonGenericDictionary is not null && (SymbolEqualityComparer.Default.Equals(type, _walker._nonGenericDictionary) || type.AllInterfaces.Contains(_walker._nonGenericDictionary, SymbolEqualityComparer.Default)));

        private ITypeSymbol? ElementOf(ITypeSymbol type)
        {
            if (_walker._enumerable is null || type.SpecialType == SpecialType.System_String)
            {
                return null;
            }

            var enumerable = SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _walker._enumerable)
                ? (INamedTypeSymbol)type
                : type.AllInterfaces.FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, _walker._enumerable));
            return enumerable?.TypeArguments[0];
        }

        private static bool Implements(ITypeSymbol type, INamedTypeSymbol? generic) =>
            generic is not null &&
            (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, generic) ||
             type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, generic)));
    }
}
