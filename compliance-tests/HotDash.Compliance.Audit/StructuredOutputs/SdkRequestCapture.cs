using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;

namespace HotDash.Compliance.Audit.StructuredOutputs;

/// <summary>
/// The schema an SDK itself sends for a type in strict mode, recorded from its own request to a fake endpoint inside
/// the process that refuses every call: what the audit judges is then the request body, byte for byte, not a schema of
/// our own making. Nothing leaves the process.
/// </summary>
public sealed class SdkRequestCapture
{
    private static readonly MethodInfo GetResponseAsync = typeof(ChatClientStructuredOutputExtensions).GetMethods()
        .Single(m => m.Name == nameof(ChatClientStructuredOutputExtensions.GetResponseAsync) && m.IsGenericMethodDefinition &&
                     m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(IChatClient), typeof(string), typeof(ChatOptions), typeof(bool?), typeof(CancellationToken)]));

    private readonly Func<OpenAIClient, Type, Task> _send;

    private SdkRequestCapture(string description, Func<OpenAIClient, Type, Task> send)
    {
        Description = description;
        _send = send;
    }

    /// <summary>Microsoft.Extensions.AI: <c>GetResponseAsync&lt;T&gt;</c> with <c>AdditionalProperties["strict"] = true</c>, through its OpenAI adapter.</summary>
    public static SdkRequestCapture MicrosoftExtensionsAI { get; } = new(
        $"Microsoft.Extensions.AI {VersionOf(typeof(ChatClientStructuredOutputExtensions))}",
        (client, type) => (Task)GetResponseAsync.MakeGenericMethod(type).Invoke(null,
            [client.GetChatClient("gpt-4o").AsIChatClient(), "hotdash audit", new ChatOptions { AdditionalProperties = new() { ["strict"] = true } }, null, CancellationToken.None])!);

    /// <summary>Semantic Kernel's OpenAI connector: <c>OpenAIPromptExecutionSettings.ResponseFormat = typeof(T)</c> (always strict).</summary>
    public static SdkRequestCapture SemanticKernel { get; } = new(
        $"Semantic Kernel {VersionOf(typeof(OpenAIPromptExecutionSettings))}",
        (client, type) => new OpenAIChatCompletionService("gpt-4o", client)
            .GetChatMessageContentAsync(new ChatHistory("hotdash audit"), new OpenAIPromptExecutionSettings { ResponseFormat = type }));

    /// <summary>The SDK and its version, for the evidence.</summary>
    public string Description { get; }

    /// <summary>The <c>response_format.json_schema</c> object of the request (name, schema, strict), or null when none was sent.</summary>
    public JsonElement? StrictRequest(Type type)
    {
        using var endpoint = new RecordingEndpoint();
        var client = new OpenAIClient(new ApiKeyCredential("hotdash-audit"), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(endpoint)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        try
        {
            _send(client, type).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The endpoint refuses every request (each SDK wraps that in an exception of its own); a type the SDK
            // cannot describe fails before sending, and then there is no request to judge.
        }

        return endpoint.JsonSchema;
    }

    private static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private sealed class RecordingEndpoint : HttpMessageHandler
    {
        public JsonElement? JsonSchema { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                using var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (body.RootElement.TryGetProperty("response_format", out var format) && format.TryGetProperty("json_schema", out var schema))
                {
                    JsonSchema = schema.Clone();
                }
            }

            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"error":{"message":"recorded by the HotDash audit","type":"invalid_request_error"}}""", System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }
}
