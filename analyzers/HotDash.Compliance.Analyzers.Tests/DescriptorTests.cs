using System;
using System.IO;
using System.Linq;
using System.Reflection;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HotDash.Compliance.Analyzers.Tests;

/// <summary>Every descriptor is documented, tracked for release, and reported by exactly one analyzer.</summary>
public class DescriptorTests
{
    public static TheoryData<string> DescriptorIds() => new(AllDescriptors().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_links_to_its_existing_docs_page(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        descriptor.HelpLinkUri.Should().Be($"https://github.com/hotdash-dev/HotDash.Compliance/blob/main/docs/rules/{id}.md");
        var page = Repository.PathOf("docs", "rules", id + ".md");
        File.Exists(page).Should().BeTrue($"{id} links to docs/rules/{id}.md");
        var text = File.ReadAllText(page);
        text.Should().StartWith($"# {id}:", "each page opens with the ID and title");
        text.Should().Contain("## Failing example").And.Contain("## Fixed example").And.Contain("## Configure or suppress");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_is_in_the_release_tracking_file(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        var unshipped = Repository.Read("analyzers", "HotDash.Compliance.Analyzers", "AnalyzerReleases.Unshipped.md");
        unshipped.Should().MatchRegex($@"(?m)^{id} \| {descriptor.Category} \| {descriptor.DefaultSeverity} \|");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Each_descriptor_has_a_title_a_message_and_one_analyzer(string id)
    {
        var descriptor = AllDescriptors().Single(d => d.Id == id);
        descriptor.Title.ToString().Should().NotBeNullOrWhiteSpace();
        descriptor.MessageFormat.ToString().Should().Contain("{0}");
        Analyzers().Count(a => a.SupportedDiagnostics.Any(d => d.Id == id)).Should().Be(1);
    }

    [Fact]
    public void Ids_are_unique()
    {
        AllDescriptors().Select(d => d.Id).Should().OnlyHaveUniqueItems();
    }

    internal static DiagnosticDescriptor[] AllDescriptors() =>
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

    internal static DiagnosticAnalyzer[] Analyzers() =>
        typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToArray();
}
