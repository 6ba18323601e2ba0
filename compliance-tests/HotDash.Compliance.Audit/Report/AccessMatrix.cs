using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Report;

/// <summary>What one attempt of the attack simulation came to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessOutcome>))]
public enum AccessOutcome
{
    /// <summary>It worked: the identity read, wrote, deleted or called what the cell names.</summary>
    Allowed,

    /// <summary>PostgreSQL refused it (a grant or a policy), or it reached no row of user A's.</summary>
    Denied,

    /// <summary>Tried, and it failed for a reason that decides nothing about access (a check constraint, a unique key); the detail says which.</summary>
    Failed,

    /// <summary>Not tried; the detail says why (a row that could not be seeded, nothing to tell A's rows from B's).</summary>
    NotTried,
}

/// <summary>
/// One cell of the access matrix: an identity (anon, user B, user A on their own rows, or one of them with request
/// headers and cookies naming A), a relation or function, an operation, and what happened, with the exact statements.
/// </summary>
public sealed record AccessCell(string Identity, Subject Relation, string Operation, AccessOutcome Outcome, string Detail, IReadOnlyList<string> Statements)
{
    /// <summary>False for user A's own reads (what the owner sees, the baseline for the attacks); true for every attack.</summary>
    public bool Attack { get; init; } = true;

    /// <summary>An attack that got through and no declared intent covers.</summary>
    public bool Unintended => Attack && Outcome == AccessOutcome.Allowed && IntendedBecause is null;

    /// <summary>The declared intent that covers it (database.intendedAccess, database.rls.publicRead), with its reason.</summary>
    public string? IntendedBecause { get; init; }

    /// <summary>The cell across runs: identity, operation and relation (what the comparison with the last report goes by).</summary>
    public string Key => $"{Identity} | {Operation} | {Relation}";
}

/// <summary>The attack simulation's access matrix: identity × relation × operation → allowed / denied / failed / not tried.</summary>
public sealed record AccessMatrix(IReadOnlyList<string> Identities, IReadOnlyList<AccessCell> Cells)
{
    /// <summary>The relations and functions it covers, in the order attacked.</summary>
    public IReadOnlyList<Subject> Relations => Cells.Select(c => c.Relation).Distinct().ToList();

    /// <summary>One line for the summary: how many relations, attempts, and what got through.</summary>
    public string Summary
    {
        get
        {
            var tried = Cells.Count(c => c.Outcome != AccessOutcome.NotTried);
            var allowed = Cells.Count(c => c.Unintended);
            return $"Attack simulation: {Relations.Count} relation(s) and function(s), {tried} attempt(s) as {string.Join(", ", Identities)}; " +
                   $"{allowed} got through that no rule declares intended (each is a finding: a static rule's proof, or HD5015/HD5016), {Cells.Count(c => c.Outcome == AccessOutcome.NotTried)} not tried (each says why)";
        }
    }
}
