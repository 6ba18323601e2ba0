using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Testing.Shapes;
using Microsoft.Extensions.AI;

namespace HotDash.Compliance.Meai9.Tests;

/// <summary>
/// Microsoft.Extensions.AI 9.10: what GetResponseAsync&lt;T&gt; asks the chat client for, recorded by a client of our own,
/// for the same table of shapes as 10.x. Unlike what reaches the wire through the 10.x OpenAI adapter (every property
/// required, every object closed: SdkWireTests), the 9.x generator lists in 'required' only `required` members and
/// constructor parameters without a default, and leaves objects open; the call sets no strict flag of its own. Sent
/// as is in strict mode, such a schema is rejected: with 9.x, declare `generatedSchemaRequiresEveryProperty: false`
/// (HD2002). Whether a 9.x OpenAI adapter transforms it for strict mode could not be captured: the registry here
/// serves the adapter from 10.5 only.
/// </summary>
public sealed class GeneratedSchemaTests
{
    /// <summary>The 'required' list of the root object per shape, as Microsoft.Extensions.AI 9.10.2 generates it.</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        [nameof(DecisionWithDefault)] = ["action"],
        [nameof(PlanWithDefaultBang)] = ["title"],
        [nameof(SummaryWithNullable)] = ["headline"],
        [nameof(RequiredMembers)] = ["owner", "minutes"],
        [nameof(NestedWithDefault)] = ["mood", "steps"],
        [nameof(WithDictionary)] = ["labels"],
    };

    public static TheoryData<string> Shapes() => new(StructuredOutputShapes.Expected.Keys);

    [Fact]
    public void This_project_runs_microsoft_extensions_ai_9()
    {
        typeof(ChatClientStructuredOutputExtensions).Assembly.GetName().Version!.Major.Should().Be(9);
        Required.Keys.Should().BeEquivalentTo(StructuredOutputShapes.Expected.Keys);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_generated_schema_requires_only_required_members_and_leaves_objects_open(string name)
    {
        var type = typeof(StructuredOutputShapes).Assembly.GetType("HotDash.Compliance.Testing.Shapes." + name)!;
        var client = new Recorder();
        var call = typeof(ChatClientStructuredOutputExtensions).GetMethods()
            .Single(m => m.Name == "GetResponseAsync" && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(IChatClient), typeof(string), typeof(ChatOptions), typeof(bool?), typeof(CancellationToken)]))
            .MakeGenericMethod(type);
        await FluentActions.Awaiting(() => (Task)call.Invoke(null, [client, "x", null, null, TestContext.Current.CancellationToken])!).Should().ThrowAsync<InvalidOperationException>();

        client.Options!.AdditionalProperties.Should().BeNull("GetResponseAsync<T> adds no strict flag of its own");
        var schema = client.Options.ResponseFormat.Should().BeOfType<ChatResponseFormatJson>().Subject.Schema!.Value;
        schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Equal(Required[name]);
        schema.TryGetProperty("additionalProperties", out _).Should().BeFalse("9.x leaves the object open; strict mode requires additionalProperties: false");
    }

    /// <summary>A chat client that records the options it is called with and fails the call.</summary>
    private sealed class Recorder : IChatClient
    {
        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Options = options;
            throw new InvalidOperationException("recorded");
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
