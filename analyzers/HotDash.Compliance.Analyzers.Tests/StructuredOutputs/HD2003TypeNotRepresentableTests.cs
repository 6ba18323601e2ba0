using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

public class HD2003TypeNotRepresentableTests
{
    private const string Header = """
        #nullable enable
        using System.Collections.Generic;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using Microsoft.Extensions.AI;

        """;

    [Fact]
    public async Task Open_shapes_are_reported_with_their_properties()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync(Header + """
            public sealed class Report
            {
                public required string Title { get; set; }
                public required Dictionary<string, string> Labels { get; set; }
                public required IReadOnlyDictionary<string, int> Counts { get; set; }
                public required object Payload { get; set; }
                public required JsonElement Raw { get; set; }
                public required JsonNode Node { get; set; }
                public required dynamic Anything { get; set; }
                public required List<string> Tags { get; set; }
                public required Report? Parent { get; set; }
            }

            public static class Uses { static readonly ChatOptions Strict = new() { AdditionalProperties = new() { ["strict"] = true } }; public static object A(IChatClient c) => c.GetResponseAsync<Report>("x", Strict); }
            """, new Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer());
        diagnostics.Should().OnlyContain(d => d.Id == "HD2003" && d.Location.GetLineSpan().StartLinePosition.Line == 18 && d.AdditionalLocations.Count == 1);
        diagnostics.Select(d => d.GetMessage()).Should().HaveCount(6)
            .And.Contain(m => m.Contains("property 'Report.Labels' is a dictionary ('System.Collections.Generic.Dictionary<string, string>')"))
            .And.Contain(m => m.Contains("property 'Report.Counts' is a dictionary"))
            .And.Contain(m => m.Contains("property 'Report.Payload' is 'object', an open shape"))
            .And.Contain(m => m.Contains("property 'Report.Raw' is 'JsonElement', which can hold any JSON"))
            .And.Contain(m => m.Contains("property 'Report.Node' is 'JsonNode'"))
            .And.Contain(m => m.Contains("property 'Report.Anything' is 'dynamic'"));
    }

    [Fact]
    public Task Nesting_deeper_than_the_limit_is_reported_once() =>
        Verify.VerifyAsync(Header + string.Concat(Enumerable.Range(1, 11).Select(i =>
            $"public sealed class L{i} {{ public required {(i == 11 ? "string" : $"L{i + 1}")} Next {{ get; set; }} }}\n"))
            + "public static class Uses { static readonly ChatOptions Strict = new() { AdditionalProperties = new() { [\"strict\"] = true } }; public static object A(IChatClient c) => c.GetResponseAsync<{|HD2003:L1|}>(\"x\", Strict); }\n");

    [Fact]
    public async Task Limits_come_from_the_rules_file()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync(
            [Header + """
                public enum Color { Red, Green, Blue }
                public sealed class Paint { public required Color Primary { get; set; } public required string Name { get; set; } }
                public static class Uses { static readonly ChatOptions Strict = new() { AdditionalProperties = new() { ["strict"] = true } }; public static object A(IChatClient c) => c.GetResponseAsync<Paint>("x", Strict); }
                """],
            [("/repo/hotdash.rules.json", """
                { "version": 1, "structuredOutputs": {
                    "entryPoints": [ { "method": "Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions.GetResponseAsync", "kind": "type", "alwaysStrict": true } ],
                    "profile": "tight", "profiles": [ { "name": "tight", "limits": { "maxEnumValues": 2, "maxObjectProperties": 1 } } ] } }
                """)],
            [new Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer()], TestContext.Current.CancellationToken);
        diagnostics.Select(d => d.GetMessage()).Should().BeEquivalentTo(
        [
            "Structured-output type 'Paint' cannot be sent in strict mode: it has 2 object properties in total; strict mode allows 1",
            "Structured-output type 'Paint' cannot be sent in strict mode: its enums have 3 values in total; strict mode allows 2",
        ]);
    }

    [Fact]
    public Task Closed_shapes_are_fine() =>
        Verify.VerifyAsync(Header + """
            public sealed record Item(string Sku, int Quantity, decimal Price, System.DateTimeOffset At, System.Guid Id);
            public sealed record Order(IReadOnlyList<Item> Items, Item[] Returns, string? Note);
            public static class Uses { static readonly ChatOptions Strict = new() { AdditionalProperties = new() { ["strict"] = true } }; public static object A(IChatClient c) => c.GetResponseAsync<Order>("x", Strict); }
            """);
    private const string Visit = """
        #nullable enable
        using System;
        using System.ComponentModel.DataAnnotations;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel.Connectors.OpenAI;

        public sealed class Visit
        {
            public required Uri Link { get; set; }
            public required DateTimeOffset When { get; set; }
            [Range(1, 5)] public required int Stars { get; set; }
            [RegularExpression("^(?!-)[a-z-]+$")] public required string Slug { get; set; }
            public required string Note { get; set; }
        }

        """;

    /// <summary>
    /// Semantic Kernel sends the constraints of .NET types and DataAnnotations as keywords (captured in
    /// SdkRequestCaptureTests), so what it sends follows the profile: OpenAI does not know format 'uri' and refuses a
    /// lookahead; Azure OpenAI refuses 'format', 'minimum' and 'pattern' outright. Microsoft.Extensions.AI moves them into
    /// 'description', so the same type passes under both.
    /// </summary>
    [Theory]
    [InlineData("SK", "openai", new[] { "'Visit.Link' is sent with format 'uri' (its type is Uri)", "'Visit.Slug' is sent with a pattern using lookaround ([RegularExpression])" })]
    [InlineData("SK", "azure-openai", new[] { "'Visit.Link' is sent with 'format' (its type is Uri)", "'Visit.When' is sent with 'format' (its type is DateTimeOffset)", "'Visit.Stars' is sent with 'minimum' ([Range])", "'Visit.Stars' is sent with 'maximum' ([Range])", "'Visit.Slug' is sent with 'pattern' ([RegularExpression])" })]
    [InlineData("MEAI", "openai", new string[0])]
    [InlineData("MEAI", "azure-openai", new string[0])]
    public async Task Validation_keywords_an_sdk_sends_follow_the_profile(string sdk, string profile, string[] expected)
    {
        var use = sdk == "SK"
            ? "public static class Uses { public static object S() => new OpenAIPromptExecutionSettings { ResponseFormat = typeof(Visit) }; }"
            : "public static class Uses { static readonly ChatOptions Strict = new() { AdditionalProperties = new() { [\"strict\"] = true } }; public static object A(IChatClient c) => c.GetResponseAsync<Visit>(\"x\", Strict); }";
        var diagnostics = await AnalyzerRun.DiagnosticsAsync(
            [Visit + use],
            [("/repo/hotdash.rules.json", ProfileRules.Selecting(profile))],
            [new Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer()],
            TestContext.Current.CancellationToken);
        diagnostics.Should().NotContain(d => d.Id == "AD0001" || d.Id == "HD0001" || (d.Id.StartsWith("CS", System.StringComparison.Ordinal) && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var messages = diagnostics.Where(d => d.Id == "HD2003").Select(d => d.GetMessage()).ToList();
        messages.Should().HaveCount(expected.Length);
        foreach (var part in expected)
        {
            messages.Should().ContainSingle(m => m.Contains(part));
        }
    }
}
