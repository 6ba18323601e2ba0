#pragma warning disable CA1812 // the types below are serialized by the SDKs under test, not instantiated here
using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using OpenAI.Chat;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

public enum WirePriority { Low, High }

public sealed record WireDecision(string Action, string Reason = "");

public sealed class WirePlan
{
    public string[] Steps { get; set; } = default!;
    public required string Title { get; set; }
    public string Summary { get; set; } = "";
    public int? Minutes { get; set; }
    public WirePriority Priority { get; set; }
    public List<WireStep> Children { get; set; } = [];
}

public sealed record WireStep(string Text, string? Note = null);

/// <summary>
/// What the SDKs really put on the wire for structured outputs, captured through a fake HTTP handler: whether the
/// request is strict, and whether the schema they generate lists every property as required. These are the facts
/// the structured-output rules must predict (issue 14): they are checked against the real SDKs the tests reference
/// (OpenAI 2.15, Microsoft.Extensions.AI 10.11 with its OpenAI adapter, Semantic Kernel's OpenAI connector 1.82), so
/// a new SDK version that changes them fails here first.
/// </summary>
public sealed class SdkWireTests
{
    [Fact]
    public async Task The_openai_sdk_sends_strict_only_when_jsonSchemaIsStrict_is_true()
    {
        const string Schema = """{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}""";
        foreach (var (strict, expected) in new (bool?, bool)[] { (true, true), (false, false), (null, false) })
        {
            var wire = new Wire();
            var options = new ChatCompletionOptions { ResponseFormat = OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat("d", BinaryData.FromString(Schema), jsonSchemaIsStrict: strict) };
            await wire.OpenAI.GetChatClient("gpt-4o").CompleteChatAsync([new UserChatMessage("x")], options, TestContext.Current.CancellationToken);
            wire.Strict.Should().Be(expected, $"jsonSchemaIsStrict: {strict?.ToString() ?? "null"}");
            wire.Schema.GetRawText().Should().Be(Schema, "a schema literal is sent as written");
        }
    }

    [Fact]
    public async Task Microsoft_extensions_ai_sends_no_strict_unless_the_strict_additional_property_is_true()
    {
        var wire = new Wire();
        await wire.Chat.GetResponseAsync<WireDecision>("x", cancellationToken: TestContext.Current.CancellationToken);
        wire.Strict.Should().BeFalse("GetResponseAsync<T> alone is not strict");

        await wire.Chat.GetResponseAsync<WireDecision>("x", new ChatOptions { AdditionalProperties = new() { ["strictJsonSchema"] = true } }, cancellationToken: TestContext.Current.CancellationToken);
        wire.Strict.Should().BeFalse("the OpenAI adapter does not read that key");

        await wire.Chat.GetResponseAsync<WireDecision>("x", new ChatOptions { AdditionalProperties = new() { ["strict"] = true } }, cancellationToken: TestContext.Current.CancellationToken);
        wire.Strict.Should().BeTrue("the OpenAI adapter turns strict mode on from ChatOptions.AdditionalProperties[\"strict\"]");
    }

    [Fact]
    public async Task Semantic_kernel_sends_a_type_strict_every_time()
    {
        var wire = new Wire();
        var service = new OpenAIChatCompletionService("gpt-4o", wire.OpenAI);
        await service.GetChatMessageContentAsync(new ChatHistory("x"), new OpenAIPromptExecutionSettings { ResponseFormat = typeof(WireDecision) }, cancellationToken: TestContext.Current.CancellationToken);
        wire.Strict.Should().BeTrue();
    }

    /// <summary>
    /// Both SDKs that generate schemas from types list every property as required and close every object, whatever
    /// C# makes optional (a default, `= default!`, a nullable): strict mode never rejects these schemas for a missing
    /// required entry; in strict mode the model fills every property, an optional one included.
    /// </summary>
    [Fact]
    public async Task Generated_schemas_require_every_property_and_close_every_object()
    {
        var wire = new Wire();
        var service = new OpenAIChatCompletionService("gpt-4o", wire.OpenAI);
        var sent = new List<(string Sdk, JsonElement Schema)>();
        foreach (var type in new[] { typeof(WireDecision), typeof(WirePlan) })
        {
            await wire.Chat.GetResponseAsync("x", new ChatOptions { ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(type), AdditionalProperties = new() { ["strict"] = true } }, TestContext.Current.CancellationToken);
            sent.Add(($"Microsoft.Extensions.AI {type.Name}", wire.Schema.Clone()));
            await service.GetChatMessageContentAsync(new ChatHistory("x"), new OpenAIPromptExecutionSettings { ResponseFormat = type }, cancellationToken: TestContext.Current.CancellationToken);
            sent.Add(($"Semantic Kernel {type.Name}", wire.Schema.Clone()));
        }

        foreach (var (sdk, schema) in sent)
        {
            foreach (var (path, node) in Objects(schema, "$"))
            {
                var properties = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
                node.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().BeEquivalentTo(properties, $"{sdk} at {path}");
                node.GetProperty("additionalProperties").GetBoolean().Should().BeFalse($"{sdk} at {path}");
            }
        }

        sent.Should().Contain(s => s.Sdk.EndsWith("WirePlan", StringComparison.Ordinal) && Objects(s.Schema, "$").Count() == 2, "the nested WireStep object is checked too");
    }

    /// <summary>The canonical rules state what the captures above show, so the analyzers and the audit predict the wire.</summary>
    [Fact]
    public void The_canonical_rules_declare_what_the_sdks_send()
    {
        var entryPoints = HotDash.Compliance.Analyzers.Rules.RulesLoader.Defaults.StructuredOutputs.EntryPoints.ToDictionary(e => e.TypeName + "." + e.Member);
        var meai = entryPoints["Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions.GetResponseAsync"];
        (meai.AlwaysStrict, meai.StrictOptionsParameter, meai.StrictAdditionalProperty, meai.GeneratedSchemaRequiresEveryProperty).Should().Be((false, "options", "strict", true));
        var sk = entryPoints["Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIPromptExecutionSettings.ResponseFormat"];
        (sk.AlwaysStrict, sk.GeneratedSchemaRequiresEveryProperty).Should().Be((true, true));
        var openai = entryPoints["OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat"];
        (openai.AlwaysStrict, openai.StrictParameter).Should().Be((false, "jsonSchemaIsStrict"));
        entryPoints["Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema"].AlwaysStrict.Should().BeFalse("the options of the call that uses the format decide");
    }

    private static IEnumerable<(string Path, JsonElement Node)> Objects(JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            yield return (path, schema);
            foreach (var property in properties.EnumerateObject())
            {
                foreach (var nested in Objects(property.Value, $"{path}.properties.{property.Name}"))
                {
                    yield return nested;
                }
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            foreach (var nested in Objects(items, path + ".items"))
            {
                yield return nested;
            }
        }
    }

    /// <summary>A fake OpenAI endpoint: records the request body and answers with one chat completion.</summary>
    private sealed class Wire : HttpMessageHandler
    {
        private const string Completion = """
            {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"{\"action\":\"a\",\"reason\":\"r\"}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
            """;

        private JsonDocument? _last;

        public Wire()
        {
            OpenAI = new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Transport = new HttpClientPipelineTransport(new HttpClient(this)) });
            Chat = OpenAI.GetChatClient("gpt-4o").AsIChatClient();
        }

        public OpenAIClient OpenAI { get; }

        public IChatClient Chat { get; }

        private JsonElement JsonSchema => _last!.RootElement.GetProperty("response_format").GetProperty("json_schema");

        public bool Strict => JsonSchema.TryGetProperty("strict", out var strict) && strict.GetBoolean();

        public JsonElement Schema => JsonSchema.GetProperty("schema");

        protected override async System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _last = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Completion, Encoding.UTF8, "application/json") };
        }
    }
}
