using HotDash.Compliance.Analyzers.Diagnostics;
using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.StructuredOutputs.StrictSchemaLiteralAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

public class HD2001StrictSchemaLiteralTests
{
    private const string Usings = """
        using System;
        using System.Text;
        using System.Text.Json;
        using OpenAI.Chat;

        """;

    /// <summary>The OpenAI .NET SDK's own structured-output example (math reasoning): valid in strict mode.</summary>
    private const string MathReasoning = """"
        class Example
        {
            ChatResponseFormat Format() => ChatResponseFormat.CreateJsonSchemaFormat(
                jsonSchemaFormatName: "math_reasoning",
                jsonSchema: BinaryData.FromBytes("""
                    {
                        "type": "object",
                        "properties": {
                        "steps": {
                            "type": "array",
                            "items": {
                            "type": "object",
                            "properties": {
                                "explanation": { "type": "string" },
                                "output": { "type": "string" }
                            },
                            "required": ["explanation", "output"],
                            "additionalProperties": false
                            }
                        },
                        "final_answer": { "type": "string" }
                        },
                        "required": ["steps", "final_answer"],
                        "additionalProperties": false
                    }
                    """u8.ToArray()),
                jsonSchemaIsStrict: true);
        }
        """";

    [Fact]
    public Task The_sdks_own_example_passes() => Verify.VerifyAsync(Usings + MathReasoning);

    [Fact]
    public Task The_sev1_start_up_crash_schema_is_reported_at_the_object_with_the_apis_wording() =>
        Verify.VerifyAsync(Usings + """"
            class Agent
            {
                ChatResponseFormat Format() => ChatResponseFormat.CreateJsonSchemaFormat(
                    "decision",
                    BinaryData.FromString("""
                        {
                          "type": "object",
                          "properties": {
                            "action": { "type": "string" },
                            "reason": { "type": "string" }
                          },
                          "required": ["action"],
                          "additionalProperties": false
                        }
                        """),
                    jsonSchemaIsStrict: true);
            }
            """",
            null,
            new DiagnosticResult(Descriptors.StrictSchemaRejected)
                .WithSpan(16, 15, 16, 25)
                .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("ChatResponseFormat.CreateJsonSchemaFormat", "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'reason'. Fix: list 'reason' in 'required'; if it is optional, make it nullable: \"type\": [\"...\", \"null\"]."));

    [Theory]
    [InlineData("""BinaryData.FromString("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},{|HD2001:\"additionalProperties\"|}:true,\"required\":[\"a\"]}")""")]
    [InlineData("""BinaryData.FromString(@"{""type"":""object"",""properties"":{""a"":{""type"":""string""}},{|HD2001:""required""|}:[],""additionalProperties"":false}")""")]
    [InlineData("BinaryData.FromString(\"\"\"{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false,{|HD2001:\"minProperties\"|}:1}\"\"\")")]
    [InlineData("BinaryData.FromBytes(\"{\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"t\\\":{\\\"type\\\":\\\"string\\\",\\\"format\\\":{|HD2001:\\\"uri\\\"|}}},\\\"required\\\":[\\\"t\\\"],\\\"additionalProperties\\\":false}\"u8.ToArray())")]
    [InlineData("new BinaryData(Encoding.UTF8.GetBytes(\"{\\\"type\\\":\\\"object\\\",\\\"properties\\\":{},{|HD2001:\\\"additionalProperties\\\"|}:{}}\"))")]
    [InlineData("BinaryData.FromString(Schemas.Const)")]
    [InlineData("{|HD2001:BinaryData.FromString(Schemas.Split + \"}\")|}")]
    public Task Every_literal_form_is_followed_to_the_offending_token(string schema) =>
        Verify.VerifyAsync(Call(schema) + (schema.Contains("Schemas.Const") ? Schemas : Schemas.Replace("{|HD2001:", string.Empty).Replace("|}", string.Empty)));

    [Fact]
    public Task A_local_with_one_initializer_is_followed_and_a_reassigned_one_is_not() =>
        Verify.VerifyAsync(Usings + """"
            class Agent
            {
                ChatResponseFormat A()
                {
                    var schema = """{"type":"object","properties":{},{|HD2001:"additionalProperties"|}:true}""";
                    return ChatResponseFormat.CreateJsonSchemaFormat("a", BinaryData.FromString(schema), jsonSchemaIsStrict: true);
                }

                ChatResponseFormat B(bool other)
                {
                    var schema = """{"type":"object","properties":{},"additionalProperties":true}""";
                    if (other) { schema = System.IO.File.ReadAllText("schema.json"); }
                    return ChatResponseFormat.CreateJsonSchemaFormat("b", BinaryData.FromString(schema), jsonSchemaIsStrict: true);
                }
            }
            """");

    [Theory]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", "schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level.")]
    [InlineData("""{"type":"object","anyOf":[],"properties":{},"additionalProperties":false}""", "schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level.")]
    [InlineData("""{"type":"object","properties":{"p":{"$ref":"#/$defs/x","description":"d"}},"required":["p"],"additionalProperties":false,"$defs":{"x":{"type":"string"}}}""", "'$ref' cannot have sibling keywords; found 'description'")]
    [InlineData("""{"type":"object","properties":{"p":{"oneOf":[{"type":"string"}]}},"required":["p"],"additionalProperties":false}""", "In context=('properties', 'p'), 'oneOf' is not permitted. (profile 'openai')")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"object","properties":{},"required":[],"additionalProperties":false,"propertyNames":{"type":"string"}}},"required":["p"],"additionalProperties":false}""", "In context=('properties', 'p'), 'propertyNames' is not permitted. (profile 'openai')")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"object","additionalProperties":false}},"required":["p"],"additionalProperties":false}""", "In context=('properties', 'p'), object schema missing properties.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string"}},"required":["p","q"],"additionalProperties":false}""", "In context=(), 'required' must be an array that includes every key in `properties`. Extra required key 'q' supplied.")]
    [InlineData("""{"$id":"Parameters Schema","type":"object","properties":{},"required":[],"additionalProperties":false}""", "'Parameters Schema' is not a 'uri-reference'.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string","pattern":"^(?!/)[a-z]+$"}},"required":["p"],"additionalProperties":false}""", "Invalid JSON schema: regex lookaround is not supported. Found at $.properties.p.pattern.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string","pattern":"^\\p{L}+$"}},"required":["p"],"additionalProperties":false}""", "'^\\p{L}+$' is not a 'regex'.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"string","pattern":"^[a-z+$"}},"required":["p"],"additionalProperties":false}""", "'pattern' is not a valid regular expression: missing ']' at index 1. Found at $.properties.p.pattern.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"object","properties":{}}},"required":["p"],"additionalProperties":false}""", "In context=('properties', 'p'), 'additionalProperties' is required to be supplied and to be false.")]
    [InlineData("""{"type":"object","properties":{"p":{"type":"array"}},"required":["p"],"additionalProperties":false}""", "'items' is required for an array")]
    [InlineData("""{"type":"object", "properties": {""", "the schema is not valid JSON: unexpected end of text")]
    [InlineData("""{"type":"object",}""", "the schema is not valid JSON: unexpected '}'")]
    public async Task Each_strict_mode_rule_is_reported_in_its_own_words(string schema, string message)
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync(Call("BinaryData.FromString(\"\"\"" + schema + "\"\"\")"), new Analyzers.StructuredOutputs.StrictSchemaLiteralAnalyzer());
        diagnostics.Should().NotContain(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id.StartsWith("CS") || d.Id == "AD0001");
        diagnostics.Where(d => d.Id == "HD2001").Select(d => d.GetMessage()).Should().Contain(m => m.Contains(message));
    }

    [Theory]
    [InlineData("jsonSchemaIsStrict: false")]
    [InlineData("jsonSchemaIsStrict: null")]
    [InlineData("\"no strict argument\"")]
    public Task Non_strict_calls_are_not_checked(string last) =>
        Verify.VerifyAsync(Usings + """"
            class Agent
            {
                ChatResponseFormat A() => ChatResponseFormat.CreateJsonSchemaFormat("a", BinaryData.FromString("""{"type":"object"}"""), LAST);
            }
            """".Replace("LAST", last));

    [Fact]
    public Task Tools_responses_assistants_and_microsoft_extensions_ai_are_entry_points() =>
        Verify.VerifyAsync("#pragma warning disable OPENAI001\n" + Usings + """"
            using OpenAI.Responses;
            using OpenAI.Assistants;
            class Agent
            {
                const string Open = """{"type":"object","properties":{},{|HD2001:"additionalProperties"|}:true}""";
                object A() => ChatTool.CreateFunctionTool("lookup", "d", BinaryData.FromString(Open), functionSchemaIsStrict: true);
                object B() => ResponseTool.CreateFunctionTool("lookup", BinaryData.FromString(Open), strictModeEnabled: true);
                object C() => ResponseTextFormat.CreateJsonSchemaFormat("r", BinaryData.FromString(Open), jsonSchemaIsStrict: true);
                object D() => AssistantResponseFormat.CreateJsonSchemaFormat("r", BinaryData.FromString(Open), strictSchemaEnabled: true);
                object E() => Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(Open).RootElement, "r");
                object F() => Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(JsonElement.Parse(Open), "r");
                object G() => ChatResponseFormat.CreateJsonSchemaFormat({|HD2001:"bad name!"|}, BinaryData.FromString("""{"type":"object","properties":{},"additionalProperties":false}"""), jsonSchemaIsStrict: true);
            }
            """");

    [Fact]
    public Task Schemas_from_files_or_runtime_values_are_left_to_the_test_time_audit() =>
        Verify.VerifyAsync(Usings + """
            class Agent
            {
                ChatResponseFormat A(string path) => ChatResponseFormat.CreateJsonSchemaFormat("a", BinaryData.FromString(System.IO.File.ReadAllText(path)), jsonSchemaIsStrict: true);
            }
            """);

    private const string Schemas = """"

        static class Schemas
        {
            public const string Const = """{"type":"object","properties":{"q":{"type":"string"}},"required":["q"],"additionalProperties":false,{|HD2001:"anyOf"|}:[]}""";
            public const string Split = """{"type":"object","properties":{"q":{"type":"string"}},"additionalProperties":false""";
        }
        """";

    [Fact]
    public async Task The_profile_in_the_rules_file_decides_what_is_rejected()
    {
        const string Schema = """{"type":"object","properties":{"name":{"type":"string","minLength":2,"default":"x"}},"required":["name"],"additionalProperties":false}""";
        Task<string[]> Messages(string? profile) => RulesMessagesAsync(Schema, profile is null ? null : ProfileRules.Selecting(profile));

        (await Messages(null)).Should().BeEmpty("OpenAI takes minLength and default today, and 'openai' is the default profile");
        (await Messages("openai")).Should().BeEmpty();
        (await Messages("azure-openai")).Should().BeEquivalentTo(
        [
            "ChatResponseFormat.CreateJsonSchemaFormat sends a strict JSON schema that strict mode would reject: In context=('properties', 'name'), 'minLength' is not permitted. (profile 'azure-openai')",
            "ChatResponseFormat.CreateJsonSchemaFormat sends a strict JSON schema that strict mode would reject: In context=('properties', 'name'), 'default' is not permitted. (profile 'azure-openai')",
        ]);
    }

    [Fact]
    public async Task A_declared_profile_and_a_changed_inherited_one_are_followed()
    {
        const string Nested = """{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{},"required":[],"additionalProperties":false,"description":"d"}},"required":["b"],"additionalProperties":false}},"required":["a"],"additionalProperties":false}""";
        Task<string[]> Messages(string rules) => RulesMessagesAsync(Nested, rules);

        // A provider of one's own: rejects 'description'.
        (await Messages("""{ "version": 1, "extends": "hotdash:canonical", "structuredOutputs": { "profile": "house", "profiles": [ { "name": "house", "rejectedKeywords": ["description"] } ] } }"""))
            .Should().ContainSingle().Which.Should().EndWith("In context=('properties', 'a', 'properties', 'b'), 'description' is not permitted. (profile 'house')");

        // The inherited 'openai' profile with one limit changed (profiles merge by name): everything else stays.
        (await Messages("""{ "version": 1, "extends": "hotdash:canonical", "structuredOutputs": { "profiles": [ { "name": "openai", "limits": { "maxNestingDepth": 2 } } ] } }"""))
            .Should().ContainSingle().Which.Should().EndWith("In context=('properties', 'a', 'properties', 'b'), objects may be nested at most 2 levels deep; this one is at level 3 (profile 'openai')");
    }

    [Fact]
    public async Task A_profile_that_is_not_declared_is_HD0001_at_its_name()
    {
        var diagnostics = await AnalyzerRun.DiagnosticsAsync(
            [Call("BinaryData.FromString(\"{}\")")],
            [("/repo/hotdash.rules.json", """{ "version": 1, "extends": "hotdash:canonical", "structuredOutputs": { "profile": "azure" } }""")],
            [new Analyzers.Rules.RulesFileAnalyzer()],
            TestContext.Current.CancellationToken);
        var hd0001 = diagnostics.Should().ContainSingle(d => d.Id == "HD0001").Subject;
        hd0001.GetMessage().Should().Contain("structuredOutputs.profile 'azure' is not declared in structuredOutputs.profiles (openai, azure-openai are)");
        hd0001.Location.GetLineSpan().StartLinePosition.Character.Should().Be(82, "the problem is reported at the profile's name");
    }

    /// <summary>HD2001 and HD0001 messages for a strict call sending <paramref name="schema"/> under a rules file (none: the built-in rules).</summary>
    private static async Task<string[]> RulesMessagesAsync(string schema, string? rules) => [.. (await AnalyzerRun.DiagnosticsAsync(
            [Call("BinaryData.FromString(\"\"\"" + schema + "\"\"\")")],
            rules is null ? [] : [("/repo/hotdash.rules.json", rules)],
            [new Analyzers.StructuredOutputs.StrictSchemaLiteralAnalyzer()],
            TestContext.Current.CancellationToken))
        .Where(d => d.Id is "HD2001" or "HD0001").Select(d => d.GetMessage())];

    private static string Call(string schema) => Usings + $$"""
        class Agent
        {
            ChatResponseFormat Format() => ChatResponseFormat.CreateJsonSchemaFormat("decision", {{schema}}, jsonSchemaIsStrict: true);
        }
        """;
}
