using System.Collections.Generic;

// Compiled into the analyzers and into the audit engine (no System.Text.RegularExpressions: .NET's dialect is not the API's).
namespace HotDash.Compliance.StructuredOutputs;

/// <summary>What a 'pattern' value contains: the constructs a provider may refuse, and the first syntax error, if any.</summary>
internal sealed class PatternAnalysis
{
    public HashSet<string> Constructs { get; } = new(System.StringComparer.Ordinal);

    public string? Error { get; set; }

    public int ErrorIndex { get; set; }
}

/// <summary>
/// A recognizer for JSON Schema's regular-expression dialect, ECMA-262 (the JSON Schema specification names it), in its
/// lenient Annex B form, so that a pattern a browser accepts is never called invalid. It names the constructs that
/// constrained-decoding engines cannot run and a provider profile may refuse: <c>lookaround</c> ((?=, (?!, (?&lt;=, (?&lt;!),
/// <c>backreference</c> (\1, \k&lt;name&gt;) and <c>unicodePropertyEscape</c> (\p{..}, \P{..}). Its syntax errors are the
/// ones every dialect shares (unbalanced groups, nothing to repeat, an unterminated class, a reversed range), so it
/// never rejects what the API's engine might take on a technicality of one dialect.
/// </summary>
internal static class PatternGrammar
{
    public const string Lookaround = "lookaround";
    public const string Backreference = "backreference";
    public const string UnicodePropertyEscape = "unicodePropertyEscape";

    public static PatternAnalysis Analyze(string pattern)
    {
        var parser = new Parser(pattern);
        parser.Disjunction(depth: 0);
        if (parser.Result.Error is null && parser.Position < pattern.Length)
        {
            parser.Fail("unmatched ')'");
        }

        return parser.Result;
    }

    private sealed class Parser
    {
        private readonly string _p;

        public Parser(string pattern)
        {
            _p = pattern;
        }

        public int Position { get; private set; }

        public PatternAnalysis Result { get; } = new();

        private bool Done => Position >= _p.Length || Result.Error is not null;

        public void Fail(string message)
        {
            if (Result.Error is null)
            {
                Result.Error = message;
                Result.ErrorIndex = Position;
            }
        }

        public void Disjunction(int depth)
        {
            Alternative(depth);
            while (!Done && _p[Position] == '|')
            {
                Position++;
                Alternative(depth);
            }
        }

        private void Alternative(int depth)
        {
            while (!Done && _p[Position] != '|' && !(_p[Position] == ')' && depth > 0))
            {
                if (_p[Position] == ')')
                {
                    return; // unmatched at depth 0: reported by Analyze
                }

                Term(depth);
            }
        }

        private void Term(int depth)
        {
            var c = _p[Position];
            bool repeatable;
            switch (c)
            {
                case '^':
                case '$':
                    Position++;
                    repeatable = false;
                    break;
                case '*':
                case '+':
                case '?':
                    Fail("nothing to repeat");
                    return;
                case '{' when IsQuantifierAt(Position, out _):
                    Fail("nothing to repeat");
                    return;
                case '(':
                    repeatable = Group(depth);
                    break;
                case '[':
                    CharacterClass();
                    repeatable = true;
                    break;
                case '\\':
                    repeatable = Escape(inClass: false);
                    break;
                default:
                    Position++;
                    repeatable = true;
                    break;
            }

            if (Done)
            {
                return;
            }

            if (IsQuantifierStart())
            {
                if (!repeatable)
                {
                    Fail("nothing to repeat");
                    return;
                }

                Quantifier();
            }
        }

        private bool Group(int depth)
        {
            Position++; // (
            var lookaround = false;
            if (Position < _p.Length && _p[Position] == '?')
            {
                var rest = _p.Substring(Position);
                if (rest.StartsWith("?:", System.StringComparison.Ordinal))
                {
                    Position += 2;
                }
                else if (rest.StartsWith("?=", System.StringComparison.Ordinal) || rest.StartsWith("?!", System.StringComparison.Ordinal))
                {
                    Position += 2;
                    lookaround = true;
                }
                else if (rest.StartsWith("?<=", System.StringComparison.Ordinal) || rest.StartsWith("?<!", System.StringComparison.Ordinal))
                {
                    Position += 3;
                    lookaround = true;
                }
                else if (rest.StartsWith("?<", System.StringComparison.Ordinal))
                {
                    var close = _p.IndexOf('>', Position);
                    if (close < 0 || close == Position + 2)
                    {
                        Fail("invalid group name");
                        return false;
                    }

                    Position = close + 1;
                }
                else
                {
                    Fail("invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'");
                    return false;
                }
            }

            if (lookaround)
            {
                Result.Constructs.Add(Lookaround);
            }

            Disjunction(depth + 1);
            if (Result.Error is not null)
            {
                return false;
            }

            if (Position >= _p.Length || _p[Position] != ')')
            {
                Fail("missing ')'");
                return false;
            }

            Position++;

            // Annex B lets a lookahead be quantified; a lookbehind cannot be. Either way the construct is what counts.
            return true;
        }

        private bool Escape(bool inClass)
        {
            Position++; // backslash
            if (Position >= _p.Length)
            {
                Fail("'\\' at the end of the pattern");
                return false;
            }

            var c = _p[Position];
            if (!inClass && (c == 'b' || c == 'B'))
            {
                Position++;
                return false;
            }

            if (!inClass && c >= '1' && c <= '9')
            {
                Result.Constructs.Add(Backreference);
                while (Position < _p.Length && char.IsDigit(_p[Position]))
                {
                    Position++;
                }

                return true;
            }

            if (!inClass && c == 'k' && Position + 1 < _p.Length && _p[Position + 1] == '<')
            {
                Result.Constructs.Add(Backreference);
                var close = _p.IndexOf('>', Position);
                Position = close < 0 ? _p.Length : close + 1;
                return true;
            }

            if ((c == 'p' || c == 'P') && Position + 1 < _p.Length && _p[Position + 1] == '{')
            {
                var close = _p.IndexOf('}', Position);
                if (close < 0)
                {
                    Fail("'\\" + c + "{' without '}'");
                    return false;
                }

                Result.Constructs.Add(UnicodePropertyEscape);
                Position = close + 1;
                return true;
            }

            Position++;
            return true;
        }

        private void CharacterClass()
        {
            var start = Position;
            Position++; // [
            if (Position < _p.Length && _p[Position] == '^')
            {
                Position++;
            }

            int? previous = null;
            var rangePending = false;
            while (Position < _p.Length && _p[Position] != ']')
            {
                int? single;
                if (_p[Position] == '\\')
                {
                    var escapeStart = Position;
                    if (!Escape(inClass: true))
                    {
                        return;
                    }

                    // \d, \w, \s, \p{..} are sets, not single characters; other escapes stand for the character after the backslash.
                    var letter = _p[escapeStart + 1];
                    single = Position - escapeStart == 2 && "dDwWsSpP".IndexOf(letter) < 0 ? EscapedValue(letter) : null;
                }
                else if (_p[Position] == '-' && previous is not null && !rangePending && Position + 1 < _p.Length && _p[Position + 1] != ']')
                {
                    Position++;
                    rangePending = true;
                    continue;
                }
                else
                {
                    single = _p[Position];
                    Position++;
                }

                if (rangePending)
                {
                    if (previous is { } from && single is { } to && from > to)
                    {
                        Position--;
                        Fail("range out of order in character class");
                        return;
                    }

                    rangePending = false;
                    previous = null;
                }
                else
                {
                    previous = single;
                }
            }

            if (Position >= _p.Length)
            {
                Position = start;
                Fail("missing ']'");
                return;
            }

            Position++; // ]
        }

        private static int EscapedValue(char letter) => letter switch
        {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'f' => '\f',
            'v' => '\v',
            _ => letter,
        };

        private bool IsQuantifierStart()
        {
            var c = _p[Position];
            return c == '*' || c == '+' || c == '?' || (c == '{' && IsQuantifierAt(Position, out _));
        }

        private void Quantifier()
        {
            if (_p[Position] == '{')
            {
                IsQuantifierAt(Position, out var end);
                var body = _p.Substring(Position + 1, end - Position - 1).Split(',');
                if (body.Length == 2 && body[1].Length > 0 && long.TryParse(body[0], out var min) && long.TryParse(body[1], out var max) && min > max)
                {
                    Fail("numbers out of order in {} quantifier");
                    return;
                }

                Position = end + 1;
            }
            else
            {
                Position++;
            }

            if (Position < _p.Length && _p[Position] == '?')
            {
                Position++; // lazy
            }

            if (Position < _p.Length && IsQuantifierStart())
            {
                Fail("nothing to repeat");
            }
        }

        /// <summary>{n}, {n,} or {n,m}; anything else after '{' is a literal brace in Annex B.</summary>
        private bool IsQuantifierAt(int at, out int end)
        {
            end = at;
            var i = at + 1;
            var digits = 0;
            while (i < _p.Length && char.IsDigit(_p[i]))
            {
                i++;
                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            if (i < _p.Length && _p[i] == ',')
            {
                i++;
                while (i < _p.Length && char.IsDigit(_p[i]))
                {
                    i++;
                }
            }

            if (i < _p.Length && _p[i] == '}')
            {
                end = i;
                return true;
            }

            return false;
        }
    }
}
