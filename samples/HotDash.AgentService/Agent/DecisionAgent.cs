using Microsoft.Extensions.AI;

namespace HotDash.AgentService.Agent;

/// <summary>
/// Reproduces the incident: the decision's optional Reason is a non-nullable string, so OpenAI strict
/// mode rejects the generated schema and the service crashes at start-up (HD2002, with code fixes).
/// </summary>
public sealed record AgentDecision(string Action, string TicketId, string Reason = "");

/// <summary>Canonical: every optional field is nullable, so strict mode accepts it. Raises nothing.</summary>
public sealed record TicketSummary(string Headline, string Sentiment, string? Escalation = null);

public sealed class DecisionAgent(IChatClient client)
{
    public async Task<AgentDecision> DecideAsync(string ticket, CancellationToken cancellationToken) =>
        (await client.GetResponseAsync<AgentDecision>($"Decide what to do with this ticket: {ticket}", cancellationToken: cancellationToken)).Result;

    public async Task<TicketSummary> SummarizeAsync(string ticket, CancellationToken cancellationToken) =>
        (await client.GetResponseAsync<TicketSummary>($"Summarize: {ticket}", cancellationToken: cancellationToken)).Result;
}
