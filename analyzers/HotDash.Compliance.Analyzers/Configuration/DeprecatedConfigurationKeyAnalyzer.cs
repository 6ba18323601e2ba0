using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Operations;
using HotDash.Compliance.Json;
using HotDash.Compliance.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HotDash.Compliance.Analyzers.Configuration;

/// <summary>
/// HD1001: a configuration key the rules declare deprecated is read: through the environment,
/// IConfiguration (indexer, GetValue, GetSection, GetConnectionString), [ConfigurationKeyName],
/// an options class bound from a section, or an appsettings*.json file given as AdditionalFiles.
/// Keys are compared as .NET configuration compares them: case-insensitive, ':' equal to '__'.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeprecatedConfigurationKeyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>How deep nested options classes are followed; configuration binding recurses, we stop early.</summary>
    private const int MaxOptionsDepth = 4;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.DeprecatedConfigurationKey);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var compilationRules = RulesProvider.Get(context);
        var rules = compilationRules.Rules;
        if (rules.DeprecatedKeys.IsEmpty)
        {
            return;
        }

        var symbols = ConfigurationSymbols.Create(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, rules, symbols), OperationKind.Invocation);
        if (symbols.IConfiguration is not null)
        {
            context.RegisterOperationAction(c => AnalyzeIndexer(c, rules, symbols), OperationKind.PropertyReference);
        }

        if (symbols.ConfigurationKeyNameAttribute is not null)
        {
            context.RegisterSymbolAction(c => AnalyzeKeyNameAttribute(c, rules, symbols), SymbolKind.Property, SymbolKind.Field, SymbolKind.Parameter);
        }

        context.RegisterAdditionalFileAction(c =>
        {
            if (compilationRules.IsAppSettingsFile(c.AdditionalFile))
            {
                AnalyzeAppSettings(c, rules);
            }
        });
    }

    /// <summary>The only methods that read a key: a name comparison rules out almost every call cheaply.</summary>
    private static readonly ImmutableHashSet<string> ReadingMethods = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "GetEnvironmentVariable", "GetValue", "Get", "Bind", "GetConnectionString", "GetRequiredSection", "GetSection", "Configure");

    private static void AnalyzeInvocation(OperationAnalysisContext context, HotDashRules rules, ConfigurationSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!ReadingMethods.Contains(method.Name))
        {
            return;
        }

        var type = method.ContainingType;
        if (type is null)
        {
            return;
        }

        if (Is(type, symbols.Environment))
        {
            if (method.Name == "GetEnvironmentVariable" && Argument(invocation, "variable") is { } variable)
            {
                Check(context, rules, variable, null, "Environment.GetEnvironmentVariable");
            }

            return;
        }

        if (Is(type, symbols.ConfigurationBinder))
        {
            if (method.Name == "GetValue" && Argument(invocation, "key") is { } key)
            {
                Check(context, rules, key, SectionPath(ThisArgument(invocation), symbols), $"ConfigurationBinder.GetValue");
            }
            else if (method.Name is "Get" or "Bind" && method.TypeArguments.Length <= 1)
            {
                var bound = method.Name == "Get"
                    ? (method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null)
                    : Argument(invocation, "instance")?.Value is { } instance ? instance.WithoutConversions().Type : null;
                var section = SectionPath(ThisArgument(invocation), symbols);
                if (Argument(invocation, "key")?.Value.ConstantValue is { HasValue: true, Value: string bindKey })
                {
                    section = ConfigurationKey.Combine(section, bindKey);
                }

                CheckBinding(context, rules, symbols, bound, section, invocation, $"ConfigurationBinder.{method.Name}");
            }

            return;
        }

        if (Is(type, symbols.ConfigurationExtensions))
        {
            if (method.Name == "GetConnectionString" && Argument(invocation, "name") is { } name)
            {
                Check(context, rules, name, "ConnectionStrings", "GetConnectionString");
            }
            else if (method.Name == "GetRequiredSection" && Argument(invocation, "key") is { } key)
            {
                Check(context, rules, key, SectionPath(ThisArgument(invocation), symbols), "GetRequiredSection");
            }

            return;
        }

        if (method.Name == "GetSection" && symbols.IsConfiguration(type) && Argument(invocation, "key") is { } sectionKey)
        {
            Check(context, rules, sectionKey, SectionPath(invocation.Instance, symbols), "IConfiguration.GetSection");
            return;
        }

        if ((Is(type, symbols.OptionsServiceCollectionExtensions) && method.Name == "Configure") ||
            (Is(type, symbols.OptionsBuilderExtensions) && method.Name == "Bind"))
        {
            var configuration = invocation.Arguments.FirstOrDefault(a => symbols.IsConfiguration(a.Parameter?.Type));
            var options = method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null;
            if (configuration is not null)
            {
                CheckBinding(context, rules, symbols, options, SectionPath(configuration.Value, symbols), invocation, $"{method.Name}<{options?.Name}>");
            }
        }
    }

    private static void AnalyzeIndexer(OperationAnalysisContext context, HotDashRules rules, ConfigurationSymbols symbols)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (!reference.Property.IsIndexer || reference.Arguments.Length != 1 || !symbols.IsConfiguration(reference.Property.ContainingType))
        {
            return;
        }

        Check(context, rules, reference.Arguments[0], SectionPath(reference.Instance, symbols), "IConfiguration indexer");
    }

    private static void AnalyzeKeyNameAttribute(SymbolAnalysisContext context, HotDashRules rules, ConfigurationSymbols symbols)
    {
        foreach (var attribute in context.Symbol.GetAttributes())
        {
            if (!Is(attribute.AttributeClass, symbols.ConfigurationKeyNameAttribute) ||
                attribute.ConstructorArguments.Length != 1 ||
                attribute.ConstructorArguments[0].Value is not string name ||
                rules.FindDeprecatedKey(name) is not { } deprecated)
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Symbol.Locations.FirstOrDefault();
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.DeprecatedConfigurationKey,
                location,
                $"[ConfigurationKeyName] on '{context.Symbol.Name}'",
                name,
                deprecated.Key,
                deprecated.Replacement));
        }
    }

    private static void AnalyzeAppSettings(AdditionalFileAnalysisContext context, HotDashRules rules)
    {
        var text = context.AdditionalFile.GetText(context.CancellationToken);
        if (text is null)
        {
            return;
        }

        var parsed = JsonParser.Parse(text.ToString());
        if (!parsed.Succeeded)
        {
            return;
        }

        var fileName = System.IO.Path.GetFileName(context.AdditionalFile.Path);
        var pending = new Stack<(JsonValue Value, string Prefix)>();
        pending.Push((parsed.Value!, string.Empty));
        while (pending.Count > 0)
        {
            var (value, prefix) = pending.Pop();
            if (value.Kind == JsonKind.Object)
            {
                foreach (var member in value.Members)
                {
                    var path = ConfigurationKey.Combine(prefix, member.Name);
                    if (rules.FindDeprecatedKey(path) is { } deprecated)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.DeprecatedConfigurationKey,
                            AdditionalFileLocation.Create(context.AdditionalFile, text, member.NameStart, member.NameLength),
                            fileName,
                            path,
                            deprecated.Key,
                            deprecated.Replacement));
                    }

                    pending.Push((member.Value, path));
                }
            }
            else if (value.Kind == JsonKind.Array)
            {
                for (var i = 0; i < value.Items.Count; i++)
                {
                    pending.Push((value.Items[i], ConfigurationKey.Combine(prefix, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                }
            }
        }
    }

    /// <summary>Reports when the constant key, under the section path, spells a deprecated key.</summary>
    private static void Check(OperationAnalysisContext context, HotDashRules rules, IArgumentOperation keyArgument, string? sectionPath, string api)
    {
        if (keyArgument.Value.ConstantValue is not { HasValue: true, Value: string key })
        {
            return;
        }

        var path = ConfigurationKey.Combine(sectionPath, key);
        if (rules.FindDeprecatedKey(path) is { } deprecated)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.DeprecatedConfigurationKey,
                keyArgument.Value.Syntax.GetLocation(),
                $"'{api}'",
                path,
                deprecated.Key,
                deprecated.Replacement));
        }
    }

    /// <summary>An options type bound to a section: every property path it binds is a read of that key.</summary>
    private static void CheckBinding(OperationAnalysisContext context, HotDashRules rules, ConfigurationSymbols symbols, ITypeSymbol? optionsType, string? sectionPath, IInvocationOperation invocation, string api)
    {
        if (optionsType is not INamedTypeSymbol named)
        {
            return;
        }

        foreach (var (path, property) in BoundKeys(named, sectionPath, symbols, 0, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)))
        {
            if (rules.FindDeprecatedKey(path) is { } deprecated)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DeprecatedConfigurationKey,
                    invocation.Syntax.GetLocation(),
                    $"'{api}' (binds {property.ContainingType.Name}.{property.Name})",
                    path,
                    deprecated.Key,
                    deprecated.Replacement));
            }
        }
    }

    private static IEnumerable<(string Path, IPropertySymbol Property)> BoundKeys(INamedTypeSymbol type, string? prefix, ConfigurationSymbols symbols, int depth, HashSet<ITypeSymbol> visiting)
    {
        if (depth >= MaxOptionsDepth || !visiting.Add(type))
        {
            yield break;
        }

        foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            var name = property.GetAttributes()
                .FirstOrDefault(a => Is(a.AttributeClass, symbols.ConfigurationKeyNameAttribute))?
                .ConstructorArguments.FirstOrDefault().Value as string ?? property.Name;
            var path = ConfigurationKey.Combine(prefix, name);
            yield return (path, property);

            if (property.Type is INamedTypeSymbol { TypeKind: TypeKind.Class } nested &&
                nested.SpecialType == SpecialType.None &&
                nested.ContainingNamespace?.ToDisplayString().StartsWith("System", System.StringComparison.Ordinal) != true)
            {
                foreach (var inner in BoundKeys(nested, path, symbols, depth + 1, visiting))
                {
                    yield return inner;
                }
            }
        }

        visiting.Remove(type);
    }

    /// <summary>
    /// The configuration path an expression stands for when it is built from GetSection /
    /// GetRequiredSection calls with constant keys; null for the root or anything unknown.
    /// </summary>
    private static string? SectionPath(IOperation? operation, ConfigurationSymbols symbols)
    {
        operation = operation?.WithoutConversions();
        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        var method = invocation.TargetMethod;
        if (method.Name == "GetSection" && symbols.IsConfiguration(method.ContainingType) &&
            Argument(invocation, "key")?.Value.ConstantValue is { HasValue: true, Value: string key })
        {
            return ConfigurationKey.Combine(SectionPath(invocation.Instance, symbols), key);
        }

        if (method.Name == "GetRequiredSection" && Is(method.ContainingType, symbols.ConfigurationExtensions) &&
            Argument(invocation, "key")?.Value.ConstantValue is { HasValue: true, Value: string requiredKey })
        {
            return ConfigurationKey.Combine(SectionPath(ThisArgument(invocation), symbols), requiredKey);
        }

        return null;
    }

    private static IOperation? ThisArgument(IInvocationOperation invocation) =>
        invocation.TargetMethod.IsExtensionMethod
            ? invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value
            : invocation.Instance;

    private static IArgumentOperation? Argument(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }

    private static bool Is(ISymbol? symbol, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(symbol?.OriginalDefinition, expected);
}
