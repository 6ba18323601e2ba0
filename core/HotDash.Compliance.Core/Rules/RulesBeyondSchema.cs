using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using HotDash.Compliance.Json;
using HotDash.Compliance.StructuredOutputs;

namespace HotDash.Compliance.Rules;

/// <summary>
/// What the JSON Schema cannot say about a rules file that passed it: a secret pattern and a protected column's
/// patterns are .NET regular expressions,
/// and <c>structuredOutputs.profile</c> names a declared profile. Both halves ask this after the schema, so the
/// analyzers and the audit refuse the same files (a file only one of them took would judge a build and a run by
/// different rules).
/// </summary>
internal static class RulesBeyondSchema
{
    /// <summary>How long a secret pattern may take on one input: a pattern from a rules file must not hang a build.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<JsonProblem> Problems(JsonValue root)
    {
        var problems = new List<JsonProblem>();
        var index = 0;
        foreach (var secret in root.Get("configuration")?.GetItems("secretPatterns") ?? [])
        {
            if (secret.Get("pattern") is { Text: { } pattern } value && RegexProblem(pattern) is { } message)
            {
                problems.Add(new JsonProblem($"$.configuration.secretPatterns[{index}].pattern", message, value));
            }

            index++;
        }

        index = 0;
        foreach (var column in root.Get("database")?.GetItems("protectedColumns") ?? [])
        {
            foreach (var member in new[] { "column", "tables" })
            {
                if (column.Get(member) is { Text: { } pattern } value && RegexProblem(pattern) is { } message)
                {
                    problems.Add(new JsonProblem($"$.database.protectedColumns[{index}].{member}", message, value));
                }
            }

            index++;
        }

        StrictProfileReader.Read(root.Get("structuredOutputs"), BuiltInRules.StructuredOutputs, out var profileProblem);
        if (profileProblem is { } undeclared)
        {
            problems.Add(new JsonProblem("$.structuredOutputs.profile", undeclared.Message, undeclared.At));
        }

        return problems;
    }

    /// <summary>A secret pattern as the checks use it: culture-invariant, with <see cref="RegexTimeout"/>.</summary>
    public static Regex SecretRegex(string pattern) => new(pattern, RegexOptions.CultureInvariant, RegexTimeout);

    private static string? RegexProblem(string pattern)
    {
        try
        {
            SecretRegex(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"not a valid .NET regular expression: {e.Message}";
        }
    }
}
