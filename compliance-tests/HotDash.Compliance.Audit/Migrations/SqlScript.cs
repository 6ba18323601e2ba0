using System.Collections.Generic;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>One statement of a script, with where it starts in the file (to report file:line:col).</summary>
public sealed record SqlStatement(string Text, int Offset);

/// <summary>
/// Splits a migration file into statements at top-level semicolons, as psql does: not inside quoted
/// strings ('...', E'...' with backslash escapes), quoted identifiers ("..."), dollar-quoted bodies
/// ($$...$$, $fn$...$fn$), line comments (--) or nested block comments (/* */). Statements keep their
/// text exactly, so PostgreSQL's error positions map back to the file.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        var start = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '-' && Next(script, i) == '-')
            {
                i = script.IndexOf('\n', i) is var end and >= 0 ? end + 1 : script.Length;
            }
            else if (c == '/' && Next(script, i) == '*')
            {
                i = SkipBlockComment(script, i);
            }
            else if (c == '\'')
            {
                var escapes = i > 0 && (script[i - 1] is 'E' or 'e') && (i < 2 || !IsIdentifierChar(script[i - 2]));
                i = SkipQuoted(script, i, '\'', escapes);
            }
            else if (c == '"')
            {
                i = SkipQuoted(script, i, '"', backslashEscapes: false);
            }
            else if (c == '$' && DollarTag(script, i) is { } tag)
            {
                var close = script.IndexOf(tag, i + tag.Length, System.StringComparison.Ordinal);
                i = close < 0 ? script.Length : close + tag.Length;
            }
            else if (c == ';')
            {
                Add(statements, script, start, i);
                start = i + 1;
                i++;
            }
            else
            {
                i++;
            }
        }

        Add(statements, script, start, script.Length);
        return statements;
    }

    private static void Add(List<SqlStatement> statements, string script, int start, int end)
    {
        // Leading white space and comments are left out: the statement starts where its first word does,
        // which is where an error without a position is reported.
        while (start < end)
        {
            if (char.IsWhiteSpace(script[start]))
            {
                start++;
            }
            else if (script[start] == '-' && Next(script, start) == '-')
            {
                start = script.IndexOf('\n', start) is var newline and >= 0 && newline < end ? newline + 1 : end;
            }
            else if (script[start] == '/' && Next(script, start) == '*')
            {
                start = System.Math.Min(end, SkipBlockComment(script, start));
            }
            else
            {
                break;
            }
        }

        var text = script[start..end];
        if (text.Length > 0)
        {
            statements.Add(new SqlStatement(text, start));
        }
    }

    private static char Next(string s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    private static int SkipBlockComment(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && Next(s, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && Next(s, i) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    private static int SkipQuoted(string s, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < s.Length)
        {
            if (backslashEscapes && s[i] == '\\')
            {
                i += 2;
            }
            else if (s[i] == quote)
            {
                if (Next(s, i) == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    /// <summary>"$tag$" or "$$" at i, where a dollar quote can start (not inside an identifier such as a$b, nor $1).</summary>
    private static string? DollarTag(string s, int i)
    {
        if (i > 0 && IsIdentifierChar(s[i - 1]))
        {
            return null;
        }

        var j = i + 1;
        while (j < s.Length && (char.IsLetter(s[j]) || s[j] == '_' || (j > i + 1 && char.IsDigit(s[j]))))
        {
            j++;
        }

        return j < s.Length && s[j] == '$' ? s[i..(j + 1)] : null;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';
}
