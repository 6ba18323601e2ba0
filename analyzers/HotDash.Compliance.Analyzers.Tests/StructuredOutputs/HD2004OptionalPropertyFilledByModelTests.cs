using System;
using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Fix = HotDash.Compliance.Analyzers.Tests.Infrastructure.CodeFixTest<HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer, HotDash.Compliance.CodeFixes.OptionalPropertyCodeFixProvider>;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

/// <summary>
/// HD2004 with the canonical rules, which say what the SDKs send (SdkWireTests capture it): Microsoft.Extensions.AI's
/// GetResponseAsync&lt;T&gt; is strict only when ChatOptions.AdditionalProperties["strict"] is true, Semantic Kernel's
/// ResponseFormat = typeof(T) always; both list every property as required, so an optional non-nullable property is
/// filled by the model every time.
/// </summary>
public class HD2004OptionalPropertyFilledByModelTests
{
    private const string Header = """
        #nullable enable
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel.Connectors.OpenAI;

        public sealed record Decision(string Action, string Reason = "");

        """;

    [Fact]
    public Task A_strict_call_reports_the_property_the_model_will_always_fill() =>
        Verify.VerifyAsync(
            Header + """
                public sealed class Agent(IChatClient client)
                {
                    public Task<ChatResponse<Decision>> Decide(string prompt) =>
                        client.GetResponseAsync<Decision>(prompt, new ChatOptions { AdditionalProperties = new() { ["strict"] = true } });
                }
                """,
            null,
            new DiagnosticResult(Descriptors.OptionalPropertyFilledByModel)
                .WithSpan(11, 33, 11, 41)
                .WithSpan(7, 53, 7, 59)
                .WithArguments("Reason", "Decision", "its constructor parameter has a default value", "ChatClientStructuredOutputExtensions.GetResponseAsync", "string"));

    [Fact]
    public Task Strictness_is_read_per_call_from_the_options() =>
        Verify.VerifyAsync(Header + """
            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse<Decision>> NotStrict(string prompt) => client.GetResponseAsync<Decision>(prompt);
                public Task<ChatResponse<Decision>> WrongKey(string prompt) =>
                    client.GetResponseAsync<Decision>(prompt, new ChatOptions { AdditionalProperties = new() { ["strictJsonSchema"] = true } });
                public Task<ChatResponse<Decision>> StrictFalse(string prompt) =>
                    client.GetResponseAsync<Decision>(prompt, new ChatOptions { AdditionalProperties = new() { ["strict"] = false } });
                public Task<ChatResponse<Decision>> FromALocal(string prompt)
                {
                    var options = new ChatOptions { AdditionalProperties = new AdditionalPropertiesDictionary { { "strict", true } } };
                    return client.GetResponseAsync<{|HD2004:Decision|}>(prompt, options);
                }
                public Task<ChatResponse<Decision>> Unknown(string prompt, ChatOptions options) => client.GetResponseAsync<Decision>(prompt, options);
            }
            """);

    [Fact]
    public Task Semantic_kernel_is_always_strict() =>
        Verify.VerifyAsync(Header + """
            public static class Settings
            {
                public static object S() => new OpenAIPromptExecutionSettings { ResponseFormat = {|HD2004:typeof(Decision)|} };
            }
            """);

    [Fact]
    public Task Nullable_required_and_default_bang_properties_are_not_reported() =>
        Verify.VerifyAsync(Header + """
            public sealed class Plan
            {
                public string[] Steps { get; set; } = default!;
                public required string Title { get; set; } = "";
                public string? Note { get; set; } = "none";
            }
            public static class Settings
            {
                public static object S() => new OpenAIPromptExecutionSettings { ResponseFormat = typeof(Plan) };
            }
            """);

    [Fact]
    public Task The_nullable_code_fix_applies() =>
        Fix.VerifyAsync(
            Header.Replace("string Reason = \"\"", "string Reason = \"none\"") + """
                public static class Settings { public static object S() => new OpenAIPromptExecutionSettings { ResponseFormat = {|HD2004:typeof(Decision)|} }; }
                """,
            Header.Replace("string Reason = \"\"", "string? Reason = \"none\"") + """
                public static class Settings { public static object S() => new OpenAIPromptExecutionSettings { ResponseFormat = typeof(Decision) }; }
                """,
            OptionalPropertyCodeFixProvider.MakeNullableKey);
}

/// <summary>The shared table of shapes (testing/Shared/StructuredOutputShapes.cs), as source through the analyzers.</summary>
public class StructuredOutputShapesAnalyzerTests
{
    [Theory]
    [InlineData("Microsoft.Extensions.AI", "public static object {0}Call(IChatClient c) => c.GetResponseAsync<{0}>(\"x\", Strict);")]
    [InlineData("Semantic Kernel", "public static object {0}Call() => new OpenAIPromptExecutionSettings {{ ResponseFormat = typeof({0}) }};")]
    public async Task The_analyzers_predict_what_the_table_expects_for_a_strict_call(string sdk, string callTemplate)
    {
        var shapes = Repository.Read("testing", "Shared", "StructuredOutputShapes.cs");
        var calls = string.Join("\n", HotDash.Compliance.Testing.Shapes.StructuredOutputShapes.Expected.Keys.Select(name =>
            "    " + string.Format(System.Globalization.CultureInfo.InvariantCulture, callTemplate, name)));
        var usage = $$"""
            #nullable enable
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using HotDash.Compliance.Testing.Shapes;
            public static class Uses
            {
                private static readonly ChatOptions Strict = new() { AdditionalProperties = new() { ["strict"] = true } };
            {{calls}}
            }
            """;
        var diagnostics = await AnalyzerRun.DiagnosticsAsync([shapes, usage], [],
            [new HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer()],
            TestContext.Current.CancellationToken);
        // Reported at the type argument, or at typeof(T).
        var predicted = diagnostics.GroupBy(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).Replace("typeof(", string.Empty, StringComparison.Ordinal).TrimEnd(')'))
            .ToDictionary(g => g.Key, g => g.Select(d => d.Id).Distinct().Order().ToArray());
        foreach (var (name, expected) in HotDash.Compliance.Testing.Shapes.StructuredOutputShapes.Expected)
        {
            (predicted.TryGetValue(name, out var ids) ? ids : []).Should().Equal(expected, $"{sdk}: {name}");
        }
    }
}
