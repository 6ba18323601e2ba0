using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.StructuredOutputs;
using HotDash.Compliance.CodeFixes;
using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Fix = HotDash.Compliance.Analyzers.Tests.Infrastructure.CodeFixTest<HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer, HotDash.Compliance.CodeFixes.OptionalPropertyCodeFixProvider>;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

/// <summary>
/// HD2002 is for entry points whose schema leaves C#-optional properties out of 'required' in strict mode, which strict
/// mode rejects (the start-up crash). The SDKs the canonical rules name list every property as required (captured:
/// see SdkWireTests), so these tests declare such an SDK in the rules, as a user would for an in-house wrapper or the
/// SDK version of the incident: the type entry points strict, their generated schemas not requiring every property.
/// </summary>
public class HD2002OptionalPropertyNotNullableTests
{
    internal const string RejectingSdk = """
        {
          "version": 1,
          "extends": "hotdash:canonical",
          "structuredOutputs": {
            "entryPoints": [
              { "method": "Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema", "kind": "schemaLiteral", "alwaysStrict": true },
              { "method": "Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions.GetResponseAsync", "kind": "type", "alwaysStrict": true, "generatedSchemaRequiresEveryProperty": false },
              { "method": "Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIPromptExecutionSettings.ResponseFormat", "kind": "type", "generatedSchemaRequiresEveryProperty": false }
            ]
          }
        }
        """;

    private const string Header = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        """;

    [Fact]
    public Task The_sev1_start_up_crash_a_decision_whose_optional_reason_is_not_nullable() =>
        Verify.VerifyAsync(Header + """
            public sealed record Decision(string Action, string Reason = "");

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse<Decision>> DecideAsync(string prompt) => client.GetResponseAsync<{|HD2002:Decision|}>(prompt);
            }
            """, RejectingSdk);

    [Fact]
    public Task The_message_says_what_why_and_how_to_fix() =>
        Verify.VerifyAsync(
            Header + """
                public sealed class Decision
                {
                    public required string Action { get; set; }
                    public string Reason { get; set; } = "";
                }

                public sealed class Agent(IChatClient client)
                {
                    public Task<ChatResponse<Decision>> DecideAsync(string prompt) => client.GetResponseAsync<Decision>(prompt);
                }
                """,
            RejectingSdk,
            new DiagnosticResult(Descriptors.OptionalPropertyNotNullable)
                .WithSpan(16, 95, 16, 103)
                .WithSpan(11, 19, 11, 25)
                .WithArguments("Reason", "Decision", "it has a default value", "string"));

    [Fact]
    public async Task Every_way_cs_lets_a_property_be_absent_counts_and_required_nullable_or_ignored_ones_do_not()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync([Header + """
            public enum Priority { Low, High }

            public sealed class Ticket
            {
                public string Title { get; set; } = "";
                public string Summary { get; set; } = "";
                [DefaultValue(0)] public int Score { get; set; }
                [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Priority Priority { get; set; }
                public required string Owner { get; set; } = "";
                [JsonRequired] public string Queue { get; set; } = "";
                public string? Note { get; set; } = null;
                public int? Minutes { get; set; } = 0;
                [JsonIgnore] public string Internal { get; set; } = "";
                public List<Step> Steps { get; set; } = new();
            }

            public sealed class Step
            {
                public string Text { get; set; } = "";
                public Step? Next { get; set; }
            }

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse<Ticket>> A(string prompt) => client.GetResponseAsync<Ticket>(prompt);
            }
            """], [("/repo/hotdash.rules.json", RejectingSdk)], [new StructuredOutputTypeAnalyzer()], TestContext.Current.CancellationToken);
        diagnostics.Should().OnlyContain(d => d.Id == "HD2002");
        diagnostics.Select(d => d.GetMessage().Split('\'')[1]).Should().BeEquivalentTo(["Title", "Summary", "Score", "Priority", "Steps", "Text"]);
        diagnostics.Should().OnlyContain(d => d.AdditionalLocations.Count == 1);
    }

    /// <summary>
    /// `= default!` and `= null!` say "always set by the deserializer" to the nullable analysis; they are not defaults
    /// (a missing property stays null either way), so the property is not optional and `string[]?` would weaken it.
    /// Initializers equal to the type's default are no defaults either. The test-time audit agrees: it compares with a
    /// default instance. (Real-world shape: openai-dotnet's and eShop's DTOs use `= default!` this way.)
    /// </summary>
    [Fact]
    public async Task Null_forgiving_and_type_default_initializers_do_not_make_a_property_optional()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync([Header + """
            public sealed class Plan
            {
                public string[] Steps { get; set; } = default!;
                public string Title { get; set; } = null!;
                public Step Next { get; set; } = (default)!;
                public int Count { get; set; } = 0;
                public bool Done { get; set; } = false;
                public decimal Cost { get; set; } = default(decimal);
                public string Summary { get; set; } = "";
                public int Retries { get; set; } = 3;
            }

            public sealed record Step(string Text = null!, int Order = default);

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse<Plan>> A(string prompt) => client.GetResponseAsync<Plan>(prompt);
            }
            """], [("/repo/hotdash.rules.json", RejectingSdk)], [new StructuredOutputTypeAnalyzer()], TestContext.Current.CancellationToken);
        diagnostics.Select(d => d.GetMessage().Split('\'')[1]).Should().BeEquivalentTo(["Summary", "Retries"]);
    }

    [Fact]
    public Task All_type_entry_points_are_covered() =>
        Verify.VerifyAsync(Header + """
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed record Plan(string Goal, string Fallback = "none");

            public static class Uses
            {
                public static object A() => ChatResponseFormat.ForJsonSchema<{|HD2002:Plan|}>();
                public static object B() => ChatResponseFormat.ForJsonSchema({|HD2002:typeof(Plan)|});
                public static object C() => new OpenAIPromptExecutionSettings { ResponseFormat = {|HD2002:typeof(Plan)|} };
                public static void D(OpenAIPromptExecutionSettings settings) => settings.ResponseFormat = {|HD2002:typeof(Plan)|};
                public static Task<ChatResponse<Plan>> E(IChatClient client) => client.GetResponseAsync<{|HD2002:Plan|}>(new ChatMessage(ChatRole.User, "x"));
            }
            """, RejectingSdk);

    [Fact]
    public Task Types_not_sent_to_a_structured_output_api_are_not_checked() =>
        Verify.VerifyAsync(Header + """
            public sealed record Decision(string Action, string Reason = "");
            public static class Uses
            {
                public static Decision Make() => new Decision("approve");
                public static object Json() => ChatResponseFormat.Json;
            }
            """, RejectingSdk);

    [Fact]
    public Task Code_fix_makes_the_property_nullable() =>
        Fix.VerifyAsync(
            Header + """
                public sealed record Decision(string Action, string Reason = "");
                public static class Uses { public static object A() => ChatResponseFormat.ForJsonSchema<{|HD2002:Decision|}>(); }
                """,
            Header + """
                public sealed record Decision(string Action, string? Reason = "");
                public static class Uses { public static object A() => ChatResponseFormat.ForJsonSchema<Decision>(); }
                """,
            OptionalPropertyCodeFixProvider.MakeNullableKey, RejectingSdk);

    [Fact]
    public Task Code_fix_marks_the_property_required() =>
        Fix.VerifyAsync(
            Header + """
                public sealed class Decision
                {
                    public string Reason { get; set; } = "";
                }
                public static class Uses { public static object A() => ChatResponseFormat.ForJsonSchema<{|HD2002:Decision|}>(); }
                """,
            Header + """
                public sealed class Decision
                {
                    public required string Reason { get; set; } = "";
                }
                public static class Uses { public static object A() => ChatResponseFormat.ForJsonSchema<Decision>(); }
                """,
            OptionalPropertyCodeFixProvider.MarkRequiredKey, RejectingSdk);

    [Fact]
    public Task Fix_all_makes_every_optional_property_nullable() =>
        Fix.VerifyAsync(
            Header + """
                public sealed class Reasoned { public string Reason { get; set; } = ""; }
                public sealed class Scored { public int Confidence { get; set; } = 50; }
                public sealed record Evidenced(string Evidence = "none");
                public static class Uses
                {
                    public static object A() => ChatResponseFormat.ForJsonSchema<{|HD2002:Reasoned|}>();
                    public static object B() => ChatResponseFormat.ForJsonSchema<{|HD2002:Scored|}>();
                    public static object C() => ChatResponseFormat.ForJsonSchema<{|HD2002:Evidenced|}>();
                }
                """,
            Header + """
                public sealed class Reasoned { public string? Reason { get; set; } = ""; }
                public sealed class Scored { public int? Confidence { get; set; } = 50; }
                public sealed record Evidenced(string? Evidence = "none");
                public static class Uses
                {
                    public static object A() => ChatResponseFormat.ForJsonSchema<Reasoned>();
                    public static object B() => ChatResponseFormat.ForJsonSchema<Scored>();
                    public static object C() => ChatResponseFormat.ForJsonSchema<Evidenced>();
                }
                """,
            OptionalPropertyCodeFixProvider.MakeNullableKey, RejectingSdk);
}
