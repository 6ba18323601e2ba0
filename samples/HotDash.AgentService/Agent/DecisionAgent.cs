using Microsoft.Extensions.AI;

namespace HotDash.AgentService.Agent;

/// <summary>
/// The decision's optional Reason is a non-nullable string with a default. The agent asks for it in strict mode, and
/// Microsoft.Extensions.AI sends every property as required there (captured): the model must invent a Reason every
/// time, and the default never applies (HD2004, with HD2002's code fixes). With an SDK whose schema left Reason out
/// of 'required', strict mode rejected the schema and the service crashed at start-up: the incident (HD2002).
/// </summary>
public sealed record AgentDecision(string Action, string TicketId, string Reason = "");

/// <summary>Canonical: every optional field is nullable, so strict mode accepts it and the model may answer null. Raises nothing.</summary>
public sealed record TicketSummary(string Headline, string Sentiment, string? Escalation = null);

public sealed class DecisionAgent(IChatClient client)
{
    // Microsoft.Extensions.AI's OpenAI adapter turns strict mode on from this additional property.
    private static readonly ChatOptions Strict = new() { AdditionalProperties = new() { ["strict"] = true } };

    public async Task<AgentDecision> DecideAsync(string ticket, CancellationToken cancellationToken) =>
        (await client.GetResponseAsync<AgentDecision>($"Decide what to do with this ticket: {ticket}", Strict, cancellationToken: cancellationToken)).Result;

    public async Task<TicketSummary> SummarizeAsync(string ticket, CancellationToken cancellationToken) =>
        (await client.GetResponseAsync<TicketSummary>($"Summarize: {ticket}", Strict, cancellationToken: cancellationToken)).Result;
}
