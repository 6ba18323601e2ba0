using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.StructuredOutputs;
using HotDash.Compliance.Testing.Shapes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace HotDash.Compliance.Audit.Tests.StructuredOutputs;

/// <summary>
/// The audit judges the schema Microsoft.Extensions.AI itself sends: the same bytes an application's own strict call
/// puts on the wire (captured here independently), and the verdict the shared table expects, which the analyzers'
/// prediction is held to as well (StructuredOutputShapesAnalyzerTests).
/// </summary>
public sealed class MeaiRequestCaptureTests
{
    public static TheoryData<string> Shapes() => new(StructuredOutputShapes.Expected.Keys);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_audit_judges_the_bytes_an_applications_strict_call_sends(string name)
    {
        var type = typeof(StructuredOutputShapes).Assembly.GetType("HotDash.Compliance.Testing.Shapes." + name)!;
        var audited = MeaiRequestCapture.StrictRequest(type);
        audited.Should().NotBeNull();
        audited!.Value.GetRawText().Should().Be(ApplicationRequest(type).GetRawText());
        audited.Value.GetProperty("strict").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_verdict_on_the_sent_schema_is_what_the_table_expects(string name)
    {
        var type = typeof(StructuredOutputShapes).Assembly.GetType("HotDash.Compliance.Testing.Shapes." + name)!;
        var findings = StructuredOutputTypeAudit.AuditTypeAsMeaiSends(type, "type " + name, "test", new HotDash.Compliance.Audit.Rules.StructuredOutputLimits(), "ChatClientStructuredOutputExtensions.GetResponseAsync");
        findings.Where(f => f.Severity != Severity.Pass).Select(f => f.RuleId).Distinct().Order().Should().Equal(StructuredOutputShapes.Expected[name]);
        findings.Should().NotContain(f => f.RuleId == "HD2003" && f.Severity != Severity.Error, "strict mode rejects the schema the SDK sent");
        findings.Should().NotContain(f => f.RuleId == "HD2004" && f.Severity != Severity.Warning, "strict mode accepts it; the model fills the property");
        findings.Should().OnlyContain(f => f.Evidence.Any(e => e.StartsWith("schema sent by Microsoft.Extensions.AI ", StringComparison.Ordinal)));
    }

    /// <summary>What an application's own call sends: GetResponseAsync&lt;T&gt; in strict mode, recorded by a fake endpoint.</summary>
    private static JsonElement ApplicationRequest(Type type)
    {
        using var endpoint = new Recorder();
        var client = new OpenAIClient(new ApiKeyCredential("k"), new OpenAIClientOptions { Transport = new HttpClientPipelineTransport(new HttpClient(endpoint)) })
            .GetChatClient("gpt-4o").AsIChatClient();
        var call = typeof(ChatClientStructuredOutputExtensions).GetMethods()
            .Single(m => m.Name == "GetResponseAsync" && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(IChatClient), typeof(string), typeof(ChatOptions), typeof(bool?), typeof(CancellationToken)]))
            .MakeGenericMethod(type);
        var task = (System.Threading.Tasks.Task)call.Invoke(null, [client, "x", new ChatOptions { AdditionalProperties = new() { ["strict"] = true } }, null, TestContext.Current.CancellationToken])!;
        FluentActions.Invoking(() => task.GetAwaiter().GetResult()).Should().Throw<Exception>("the recorder answers 500");
        return endpoint.JsonSchema!.Value;
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public JsonElement? JsonSchema { get; private set; }

        protected override async System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            JsonSchema = body.RootElement.GetProperty("response_format").GetProperty("json_schema").Clone();
            return new HttpResponseMessage(HttpStatusCode.InternalServerError);
        }
    }
}
