using Microsoft.CodeAnalysis;

namespace HotDash.Compliance.Analyzers.Configuration;

/// <summary>The configuration APIs that read a key, resolved once per compilation. A missing type is null.</summary>
internal sealed class ConfigurationSymbols
{
    private ConfigurationSymbols(Compilation compilation)
    {
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        IConfiguration = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration");
        ConfigurationBinder = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationBinder");
        ConfigurationExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationExtensions");
        ConfigurationKeyNameAttribute = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationKeyNameAttribute");
        OptionsServiceCollectionExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.OptionsConfigurationServiceCollectionExtensions");
        OptionsBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.OptionsBuilderConfigurationExtensions");
    }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? IConfiguration { get; }

    public INamedTypeSymbol? ConfigurationBinder { get; }

    public INamedTypeSymbol? ConfigurationExtensions { get; }

    public INamedTypeSymbol? ConfigurationKeyNameAttribute { get; }

    public INamedTypeSymbol? OptionsServiceCollectionExtensions { get; }

    public INamedTypeSymbol? OptionsBuilderExtensions { get; }

    public static ConfigurationSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>True for IConfiguration and every type that implements it (sections, roots, ConfigurationManager).</summary>
    public bool IsConfiguration(ITypeSymbol? type)
    {
        if (type is null || IConfiguration is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, IConfiguration))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, IConfiguration))
            {
                return true;
            }
        }

        return false;
    }
}
