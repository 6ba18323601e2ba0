using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HotDash.Compliance.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs one analyzer over markup source (<c>{|HD1001:...|}</c>) with the real configuration
/// packages referenced. Any unexpected diagnostic fails the test, AD0001 (an analyzer exception)
/// and compiler errors included.
/// </summary>
internal static class AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>
    /// The real configuration and options assemblies (8.0, as restored for this test project),
    /// referenced from disk so the tests need no network at run time.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> ConfigurationReferences =
    [
        .. new[]
        {
            typeof(Microsoft.Extensions.Configuration.IConfiguration),
            typeof(Microsoft.Extensions.Configuration.ConfigurationBinder),
            typeof(Microsoft.Extensions.DependencyInjection.OptionsConfigurationServiceCollectionExtensions),
            typeof(Microsoft.Extensions.DependencyInjection.OptionsBuilderConfigurationExtensions),
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
            typeof(Microsoft.Extensions.Options.IOptions<>),
        }
        .Select(t => t.Assembly.Location)
        .Distinct()
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
    ];

    public static ReferenceAssemblies References => ReferenceAssemblies.Net.Net80;

    public static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> Create(string source, string? rulesJson = null)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = References,
        };
        test.TestState.AdditionalReferences.AddRange(ConfigurationReferences);
        if (rulesJson is not null)
        {
            test.TestState.AdditionalFiles.Add(("/repo/hotdash.rules.json", rulesJson));
        }

        return test;
    }

    public static Task VerifyAsync(string source, string? rulesJson = null, params DiagnosticResult[] expected)
    {
        var test = Create(source, rulesJson);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
