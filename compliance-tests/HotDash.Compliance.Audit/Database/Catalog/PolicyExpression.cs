using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HotDash.Compliance.Audit.Database.Catalog;

/// <summary>
/// Reads policy expressions as PostgreSQL deparses them (pg_get_expr: keywords upper-case, literals
/// with their casts, sub-selects as "( SELECT f() AS f)"). It recognises only what it can be sure of:
/// an expression it does not understand is never called always-true.
/// </summary>
public static partial class PolicyExpression
{
    /// <summary>
    /// Conditions that hold for every request of one API role in Supabase, because the API sets them
    /// from the role itself: every signed-in user has role 'authenticated' and a user id (sub).
    /// </summary>
    private static readonly Dictionary<string, string[]> RoleTautologies = new(StringComparer.Ordinal)
    {
        ["authenticated"] =
        [
            "auth.role()='authenticated'::text",
            "'authenticated'::text=auth.role()",
            "auth.uid()isnotnull",
            "auth.jwt()->>'role'::text='authenticated'::text",
            "(auth.jwt()->>'role'::text)='authenticated'::text",
        ],
        ["anon"] =
        [
            "auth.role()='anon'::text",
            "'anon'::text=auth.role()",
            "auth.uid()isnull",
        ],
    };

    /// <summary>True when the expression holds for every row and every caller (true, 1 = 1, true OR ...).</summary>
    public static bool IsAlwaysTrue(string? expression) => expression is not null && AlwaysTrueFor(expression, role: null);

    /// <summary>True when the expression holds for every row whenever the request runs as <paramref name="role"/>.</summary>
    public static bool IsAlwaysTrueFor(string? expression, string role) => expression is not null && AlwaysTrueFor(expression, role);

    /// <summary>The expression with white space removed, lower-cased, sub-selects of one function call unwrapped, outer parentheses stripped.</summary>
    public static string Normalize(string expression)
    {
        var compact = new StringBuilder(expression.Length);
        var inString = false;
        foreach (var c in expression)
        {
            if (c == '\'')
            {
                inString = !inString;
            }

            if (inString || !char.IsWhiteSpace(c))
            {
                compact.Append(inString ? c : char.ToLowerInvariant(c));
            }
        }

        // "( SELECT auth.uid() AS uid)" is how the initplan-friendly form deparses; it means auth.uid().
        var text = SelectAlias().Replace(compact.ToString(), "$1");
        return StripParentheses(text);
    }

    /// <summary>The top-level terms of a boolean expression joined by <paramref name="keyword"/> (AND / OR), as deparsed.</summary>
    public static IReadOnlyList<string> Split(string expression, string keyword)
    {
        var text = StripParentheses(expression.Trim());
        var parts = new List<string>();
        var start = 0;
        var separator = $" {keyword} ";
        foreach (var (i, _, depth) in OutsideLiterals(text))
        {
            if (i >= start && depth == 0 && string.CompareOrdinal(text, i, separator, 0, separator.Length) == 0)
            {
                parts.Add(text[start..i]);
                start = i + separator.Length;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    /// <summary>
    /// True when the only condition on the rows is bucket_id = '<paramref name="bucketId"/>' (or none: always
    /// true): every object of that bucket passes, whoever asks. No expression admits no row.
    /// </summary>
    public static bool OnlyFiltersBucket(string? expression, string bucketId, string role)
    {
        if (expression is null)
        {
            return false;
        }

        if (IsAlwaysTrueFor(expression, role))
        {
            return true;
        }

        var literal = "'" + bucketId.Replace("'", "''", StringComparison.Ordinal) + "'";
        var matched = false;
        foreach (var term in Split(expression, "AND").Select(Normalize))
        {
            var match = BucketEquality().Match(term);
            if (match.Success && (match.Groups["l"].Value == literal || match.Groups["r"].Value == literal))
            {
                matched = true;
            }
            else if (!IsAlwaysTrueFor(term, role))
            {
                return false;
            }
        }

        return matched;
    }

    /// <summary>The first of <paramref name="patterns"/> the expression mentions (case-insensitive), or null.</summary>
    public static string? Mentions(string? expression, IEnumerable<string> patterns) =>
        expression is null ? null : patterns.FirstOrDefault(p => expression.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether every mention of <paramref name="pattern"/> in the (deparsed) expression lies inside a subquery, a
    /// parenthesised <c>SELECT</c> (as in <c>EXISTS (SELECT 1 FROM tokens t WHERE t.token = ...)</c>); true when there is
    /// none. Parentheses inside string literals do not count.
    /// </summary>
    public static bool ReadsOnlyInSubqueries(string? expression, string pattern)
    {
        if (expression is null)
        {
            return true;
        }

        // For each character: is it inside a parenthesised SELECT? Parentheses count outside string literals only.
        var inSubquery = new bool[expression.Length];
        var groups = new Stack<bool>();
        var depthInSelect = 0;
        var quoted = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                var select = expression.AsSpan(i + 1).TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
                groups.Push(select);
                depthInSelect += select ? 1 : 0;
            }
            else if (!quoted && c == ')' && groups.Count > 0)
            {
                depthInSelect -= groups.Pop() ? 1 : 0;
            }

            inSubquery[i] = depthInSelect > 0;
        }

        for (var at = expression.IndexOf(pattern, StringComparison.OrdinalIgnoreCase); at >= 0; at = expression.IndexOf(pattern, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (!inSubquery[at])
            {
                return false;
            }
        }

        return true;
    }

    private static bool AlwaysTrueFor(string expression, string? role)
    {
        var disjuncts = Split(expression, "OR");
        if (disjuncts.Count > 1)
        {
            return disjuncts.Any(d => AlwaysTrueFor(d, role));
        }

        var conjuncts = Split(expression, "AND");
        if (conjuncts.Count > 1)
        {
            return conjuncts.All(c => AlwaysTrueFor(c, role));
        }

        var term = Normalize(expression);
        if (term is "true" or "notfalse" or "'t'::boolean" or "'true'::boolean" || SameLiteral().IsMatch(term))
        {
            return true;
        }

        return role is not null && RoleTautologies.TryGetValue(role, out var tautologies) && tautologies.Contains(term, StringComparer.Ordinal);
    }

    private static string StripParentheses(string text)
    {
        while (text.Length >= 2 && text[0] == '(' && text[^1] == ')' && Closes(text))
        {
            text = text[1..^1].Trim();
        }

        return text;
    }

    /// <summary>Whether the parenthesis at 0 is closed by the last character (not "(a) = (b)").</summary>
    private static bool Closes(string text)
    {
        var balance = 0;
        foreach (var (i, c, depth) in OutsideLiterals(text))
        {
            if (c == ')' && depth == 1 && i < text.Length - 1)
            {
                return false;
            }

            balance = depth + (c == '(' ? 1 : c == ')' ? -1 : 0);
        }

        return balance == 0;
    }

    /// <summary>Each character outside string literals, with the parenthesis depth before it.</summary>
    private static IEnumerable<(int Index, char Char, int Depth)> OutsideLiterals(string text)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                inString = !inString;
                continue;
            }

            if (inString)
            {
                continue;
            }

            yield return (i, c, depth);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
    }

    [GeneratedRegex(@"\(select([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\(\))as[a-z_][a-z0-9_]*\)")]
    private static partial Regex SelectAlias();

    // 1 = 1, 'a'::text = 'a'::text: a literal compared with itself.
    [GeneratedRegex(@"^(?<v>\d+|'(?:[^']|'')*'(?:::[a-z]+)?)=\k<v>$")]
    private static partial Regex SameLiteral();

    [GeneratedRegex(@"^(?:bucket_id=(?<l>'(?:[^']|'')*')(?:::text)?|(?<r>'(?:[^']|'')*')(?:::text)?=bucket_id)$")]
    private static partial Regex BucketEquality();
}
