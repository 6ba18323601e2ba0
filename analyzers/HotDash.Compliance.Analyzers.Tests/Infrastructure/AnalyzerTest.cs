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

    /// <summary>The real OpenAI .NET SDK, Microsoft.Extensions.AI and Semantic Kernel assemblies.</summary>
    public static readonly ImmutableArray<MetadataReference> StructuredOutputReferences =
    [
        .. new[]
        {
            typeof(OpenAI.Chat.ChatResponseFormat),
            typeof(System.ClientModel.ClientResult),
            typeof(System.BinaryData),
            typeof(Microsoft.Extensions.AI.ChatResponseFormat),
            typeof(Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions),
            typeof(Microsoft.SemanticKernel.PromptExecutionSettings),
            typeof(Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIPromptExecutionSettings),
        }
        .Select(t => t.Assembly.Location)
        .Distinct()
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
    ];

    /// <summary>
    /// .NET 10 reference assemblies (the AI packages are built against System.Text.Json 10), taken from
    /// the installed SDK's targeting pack: offline, and the same on every machine with this SDK.
    /// </summary>
    public static ReferenceAssemblies References { get; } = new ReferenceAssemblies("net10.0");

    public static readonly ImmutableArray<MetadataReference> FrameworkReferences = LoadTargetingPack();

    public static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> Create(string source, string? rulesJson = null)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = References,
        };
        test.TestState.AdditionalReferences.AddRange(FrameworkReferences);
        test.TestState.AdditionalReferences.AddRange(ConfigurationReferences);
        test.TestState.AdditionalReferences.AddRange(StructuredOutputReferences);
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

    private static ImmutableArray<MetadataReference> LoadTargetingPack()
    {
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <dotnet root>/packs
        var dotnetRoot = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var packs = System.IO.Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var version = System.IO.Directory.GetDirectories(packs)
            .Select(d => (Path: d, Version: System.Version.TryParse(System.IO.Path.GetFileName(d).Split('-')[0], out var v) ? v : new System.Version(0, 0)))
            .Where(d => d.Version.Major == System.Environment.Version.Major)
            .OrderByDescending(d => d.Version)
            .First().Path;
        var reference = System.IO.Path.Combine(version, "ref", $"net{System.Environment.Version.Major}.0");
        return [.. System.IO.Directory.GetFiles(reference, "*.dll").Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
