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
using OpenAI;

namespace HotDash.Compliance.Audit.StructuredOutputs;

/// <summary>
/// The schema Microsoft.Extensions.AI itself sends for a type: <c>GetResponseAsync&lt;T&gt;</c> in strict mode through
/// its OpenAI adapter, against a fake endpoint that records the request and refuses it. What the audit judges is then
/// the request body, byte for byte, not a schema of our own making. Nothing leaves the process.
/// </summary>
public static class MeaiRequestCapture
{
    public static string SdkVersion { get; } =
        typeof(ChatClientStructuredOutputExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private static readonly MethodInfo GetResponseAsync = typeof(ChatClientStructuredOutputExtensions).GetMethods()
        .Single(m => m.Name == nameof(ChatClientStructuredOutputExtensions.GetResponseAsync) && m.IsGenericMethodDefinition &&
                     m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(IChatClient), typeof(string), typeof(ChatOptions), typeof(bool?), typeof(CancellationToken)]));

    /// <summary>The <c>response_format.json_schema</c> object of the request (name, schema, strict), or null when no request was made.</summary>
    public static JsonElement? StrictRequest(Type type)
    {
        using var endpoint = new RecordingEndpoint();
        var client = new OpenAIClient(new ApiKeyCredential("hotdash-audit"), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(endpoint)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetChatClient("gpt-4o").AsIChatClient();
        var strict = new ChatOptions { AdditionalProperties = new() { ["strict"] = true } };
        try
        {
            var call = (Task)GetResponseAsync.MakeGenericMethod(type).Invoke(null, [client, "hotdash audit", strict, null, CancellationToken.None])!;
            call.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ClientResultException or TargetInvocationException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // The endpoint refuses every request; a type the SDK cannot describe fails before sending (no request).
        }

        return endpoint.JsonSchema;
    }

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
