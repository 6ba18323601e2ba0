using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.StructuredOutputs;
using HotDash.Compliance.Testing.Shapes;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;

namespace HotDash.Compliance.Audit.Tests.StructuredOutputs;

/// <summary>
/// The audit judges the schema each SDK itself sends: the same bytes an application's own strict call puts on the wire
/// (captured here independently), and the verdict the shared table expects, which the analyzers' prediction is held to
/// as well (StructuredOutputShapesAnalyzerTests).
/// </summary>
public sealed class SdkRequestCaptureTests
{
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var sdk in new[] { "Microsoft.Extensions.AI", "Semantic Kernel" })
        {
            foreach (var shape in StructuredOutputShapes.Expected.Keys)
            {
                rows.Add(sdk, shape);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_audit_judges_the_bytes_an_applications_strict_call_sends(string sdk, string shape)
    {
        var type = Shape(shape);
        var audited = Capture(sdk).StrictRequest(type);
        audited.Should().NotBeNull();
        audited!.Value.GetRawText().Should().Be(ApplicationRequest(sdk, type).GetRawText());
        audited.Value.GetProperty("strict").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_verdict_on_the_sent_schema_is_what_the_table_expects(string sdk, string shape)
    {
        var findings = StructuredOutputTypeAudit.AuditTypeAsSent(Shape(shape), HotDash.Compliance.Audit.Findings.Subject.Type(shape), "test", RulesFile.BuiltIn().Document.StructuredOutputs, "entry point", Capture(sdk));
        findings.Where(f => f.Severity != Severity.Pass).Select(f => f.RuleId).Distinct().Order().Should().Equal(StructuredOutputShapes.Expected[shape]);
        findings.Should().NotContain(f => f.RuleId == "HD2003" && f.Severity != Severity.Error, "strict mode rejects the schema the SDK sent");
        findings.Should().NotContain(f => f.RuleId == "HD2004" && f.Severity != Severity.Warning, "strict mode accepts it; the model fills the property");
        findings.Should().OnlyContain(f => f.Evidence.Any(e => e.StartsWith($"schema sent by {sdk} ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// What each SDK does with the constraints .NET types and DataAnnotations carry (captured): Semantic Kernel sends them
    /// as keywords, so the provider profile judges them (a Uri is "format": "uri", which OpenAI does not know; Azure OpenAI
    /// refuses 'format', 'pattern', 'minimum' and the lengths altogether); Microsoft.Extensions.AI moves them into
    /// 'description', which every profile takes. Neither sends [DefaultValue] as "default".
    /// </summary>
    [Theory]
    [InlineData("Semantic Kernel", "openai", new[] { "Formats.Link", "Formats.Site", "Formats.Links" })]
    [InlineData("Semantic Kernel", "azure-openai", new[] { "Formats.When", "Formats.At", "Formats.Id", "Formats.Link", "Formats.Took", "Formats.Day", "Formats.Time", "Formats.Stars", "Formats.Name", "Formats.Slug", "Formats.Mail", "Formats.Site", "Formats.Tags", "Formats.Code", "Formats.Short", "Formats.Links", "Formats.Maybe" })]
    [InlineData("Microsoft.Extensions.AI", "openai", new string[0])]
    [InlineData("Microsoft.Extensions.AI", "azure-openai", new string[0])]
    public void Validation_keywords_are_judged_by_the_profile_when_the_sdk_sends_them(string sdk, string profile, string[] rejected)
    {
        var schema = Capture(sdk).StrictRequest(typeof(Formats))!.Value.GetProperty("schema");
        var link = schema.GetProperty("properties").EnumerateObject().Single(p => p.Name.Equals("link", StringComparison.OrdinalIgnoreCase)).Value;
        (sdk == "Semantic Kernel" ? link.GetProperty("format").GetString() : link.GetProperty("description").GetString()).Should().Contain("uri");

        var rules = RulesFile.Parse(ProfileRules.Selecting(profile), "rules").Document.StructuredOutputs;
        var findings = StructuredOutputTypeAudit.AuditTypeAsSent(typeof(Formats), HotDash.Compliance.Audit.Findings.Subject.Type("Formats"), "test", rules, "entry point", Capture(sdk));
        var properties = findings.Where(f => f.RuleId == "HD2003").Select(f => f.Location.Split(" at $.properties.")[1].Split('.')[0]).Distinct();
        properties.Select(p => "Formats." + typeof(Formats).GetProperties().Single(x => x.Name.Equals(p, StringComparison.OrdinalIgnoreCase)).Name)
            .Should().BeEquivalentTo(rejected);
        if (sdk == "Semantic Kernel" && profile == "openai")
        {
            findings.Where(f => f.RuleId == "HD2003").Should().OnlyContain(f => f.Message.Contains("'uri' is not a valid format."));
        }
    }

    [Theory]
    [InlineData("Microsoft.Extensions.AI")]
    [InlineData("Semantic Kernel")]
    public void A_default_value_attribute_is_not_sent_as_default(string sdk)
    {
        var limit = Capture(sdk).StrictRequest(typeof(SearchWithDefaultValue))!.Value.GetProperty("schema").GetProperty("properties")
            .EnumerateObject().Single(p => p.Name.Equals("limit", StringComparison.OrdinalIgnoreCase)).Value;
        limit.TryGetProperty("default", out _).Should().BeFalse("so 'default' in a profile does not touch types sent through these SDKs");
    }

    public sealed class Formats
    {
        public required DateTimeOffset When { get; set; }
        public required DateTime At { get; set; }
        public required Guid Id { get; set; }
        public required Uri Link { get; set; }
        public required TimeSpan Took { get; set; }
        public required DateOnly Day { get; set; }
        public required TimeOnly Time { get; set; }
        [System.ComponentModel.DataAnnotations.Range(1, 5)]
        public required int Stars { get; set; }
        [System.ComponentModel.DataAnnotations.StringLength(20, MinimumLength = 2)]
        public required string Name { get; set; }
        [System.ComponentModel.DataAnnotations.RegularExpression("^[a-z]+$")]
        public required string Slug { get; set; }
        [System.ComponentModel.DataAnnotations.EmailAddress]
        public required string Mail { get; set; }
        [System.ComponentModel.DataAnnotations.Url]
        public required string Site { get; set; }
        [System.ComponentModel.DataAnnotations.MinLength(1)]
        public required System.Collections.Generic.List<string> Tags { get; set; }
        [System.ComponentModel.DataAnnotations.MaxLength(3)]
        public required string Code { get; set; }
        [System.ComponentModel.DataAnnotations.Length(1, 4)]
        public required string Short { get; set; }
        public required System.Collections.Generic.List<Uri> Links { get; set; }
        public required DateTimeOffset? Maybe { get; set; }
    }

    public sealed class SearchWithDefaultValue
    {
        public required string Query { get; set; }

        [System.ComponentModel.DefaultValue(10)]
        public int Limit { get; set; } = 10;
    }

    /// <summary>Semantic Kernel's `ResponseFormat = typeof(T)` leaves `ldtoken T` before the setter: the audit finds the type in the IL.</summary>
    [Fact]
    public void Types_set_as_a_semantic_kernel_response_format_are_discovered_from_the_il()
    {
        var entryPoints = RulesFile.BuiltIn().Document.StructuredOutputs.EntryPoints;
        var found = StructuredOutputTypeDiscovery.Discover(typeof(SdkRequestCaptureTests).Assembly.Location, entryPoints);
        found.Should().Contain(t => t.TypeName == typeof(DecisionWithDefault).FullName && t.EntryPoint == "OpenAIPromptExecutionSettings.ResponseFormat" && t.Rule!.AlwaysStrict);
        StructuredOutputTypeAudit.SdkFor(found.First(t => t.TypeName == typeof(DecisionWithDefault).FullName).Rule).Should().BeSameAs(SdkRequestCapture.SemanticKernel);
    }

    /// <summary>What the discovery test finds: an application setting a Semantic Kernel response format to a type.</summary>
    internal static object SemanticKernelSettings() => new OpenAIPromptExecutionSettings { ResponseFormat = typeof(DecisionWithDefault) };

    private static Type Shape(string name) => typeof(StructuredOutputShapes).Assembly.GetType("HotDash.Compliance.Testing.Shapes." + name)!;

    private static SdkRequestCapture Capture(string sdk) => sdk == "Semantic Kernel" ? SdkRequestCapture.SemanticKernel : SdkRequestCapture.MicrosoftExtensionsAI;

    /// <summary>What an application's own strict call sends, recorded by a fake endpoint of the test's own.</summary>
    private static JsonElement ApplicationRequest(string sdk, Type type)
    {
        using var endpoint = new Recorder();
        var client = new OpenAIClient(new ApiKeyCredential("k"), new OpenAIClientOptions { Transport = new HttpClientPipelineTransport(new HttpClient(endpoint)) });
        System.Threading.Tasks.Task call;
        if (sdk == "Semantic Kernel")
        {
            call = new OpenAIChatCompletionService("gpt-4o", client).GetChatMessageContentAsync(new ChatHistory("x"), new OpenAIPromptExecutionSettings { ResponseFormat = type }, cancellationToken: TestContext.Current.CancellationToken);
        }
        else
        {
            var method = typeof(ChatClientStructuredOutputExtensions).GetMethods()
                .Single(m => m.Name == "GetResponseAsync" && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(IChatClient), typeof(string), typeof(ChatOptions), typeof(bool?), typeof(CancellationToken)]))
                .MakeGenericMethod(type);
            call = (System.Threading.Tasks.Task)method.Invoke(null, [client.GetChatClient("gpt-4o").AsIChatClient(), "x", new ChatOptions { AdditionalProperties = new() { ["strict"] = true } }, null, TestContext.Current.CancellationToken])!;
        }

        FluentActions.Invoking(() => call.GetAwaiter().GetResult()).Should().Throw<Exception>("the recorder answers 500");
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
