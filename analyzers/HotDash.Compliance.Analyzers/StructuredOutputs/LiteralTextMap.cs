using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.StructuredOutputs;

/// <summary>
/// Maps each character of a string literal's value to where it stands in source, for every literal
/// form: regular (with escapes), verbatim (doubled quotes), raw single- and multi-line (indentation
/// removed), each optionally UTF-8 (u8). The map is rebuilt from the token text and checked against
/// the compiler's value; when they differ, there is no map and callers point at the whole literal.
/// </summary>
internal sealed class LiteralTextMap
{
    // _positions[i] is the source position of value character i; one extra entry marks the end.
    private readonly int[] _positions;
    private readonly SyntaxTree _tree;

    private LiteralTextMap(SyntaxTree tree, int[] positions)
    {
        _tree = tree;
        _positions = positions;
    }

    public static LiteralTextMap? Create(SyntaxToken token, string value)
    {
        var text = token.Text;
        var start = token.SpanStart;
        if (text.EndsWith("u8", System.StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring(0, text.Length - 2);
        }

        var positions = new List<int>(value.Length + 1);
        var built = new StringBuilder(value.Length);
        bool ok;
        if (text.StartsWith("\"\"\"", System.StringComparison.Ordinal))
        {
            ok = Raw(text, start, built, positions);
        }
        else if (text.StartsWith("@\"", System.StringComparison.Ordinal))
        {
            ok = Verbatim(text, start, built, positions);
        }
        else if (text.StartsWith("\"", System.StringComparison.Ordinal))
        {
            ok = Regular(text, start, built, positions);
        }
        else
        {
            ok = false;
        }

        if (!ok || built.ToString() != value)
        {
            return null;
        }

        return new LiteralTextMap(token.SyntaxTree!, positions.ToArray());
    }

    /// <summary>The source location of value characters [start, start + length).</summary>
    public Location Locate(int start, int length)
    {
        var last = _positions.Length - 1;
        start = start < 0 ? 0 : start > last ? last : start;
        var end = start + (length < 1 ? 1 : length);
        end = end > last ? last : end;
        var from = _positions[start];
        var to = end > start ? _positions[end] : from + 1;
        return Location.Create(_tree, TextSpan.FromBounds(from, to > from ? to : from + 1));
    }

    private static bool Regular(string text, int start, StringBuilder built, List<int> positions)
    {
        var i = 1;
        var end = text.Length - 1;
        if (end < 1 || text[end] != '"')
        {
            return false;
        }

        while (i < end)
        {
            positions.Add(start + i);
            var c = text[i];
            if (c != '\\')
            {
                built.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                return false;
            }

            var e = text[i + 1];
            i += 2;
            switch (e)
            {
                case '\'': built.Append('\''); break;
                case '"': built.Append('"'); break;
                case '\\': built.Append('\\'); break;
                case '0': built.Append('\0'); break;
                case 'a': built.Append('\a'); break;
                case 'b': built.Append('\b'); break;
                case 'e': built.Append('\u001b'); break;
                case 'f': built.Append('\f'); break;
                case 'n': built.Append('\n'); break;
                case 'r': built.Append('\r'); break;
                case 't': built.Append('\t'); break;
                case 'v': built.Append('\v'); break;
                case 'u':
                case 'U':
                case 'x':
                    var max = e == 'u' ? 4 : e == 'U' ? 8 : 4;
                    var digits = 0;
                    while (digits < max && i + digits < end && Uri.IsHexDigit(text[i + digits]))
                    {
                        digits++;
                    }

                    if (digits == 0 || (e != 'x' && digits != max))
                    {
                        return false;
                    }

                    var code = int.Parse(text.Substring(i, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    i += digits;
                    if (code > 0xFFFF)
                    {
                        var s = char.ConvertFromUtf32(code);
                        built.Append(s[0]);
                        positions.Add(positions[positions.Count - 1]);
                        built.Append(s[1]);
                    }
                    else
                    {
                        built.Append((char)code);
                    }

                    break;
                default:
                    return false;
            }
        }

        positions.Add(start + end);
        return true;
    }

    private static bool Verbatim(string text, int start, StringBuilder built, List<int> positions)
    {
        var end = text.Length - 1;
        if (end < 2 || text[end] != '"')
        {
            return false;
        }

        var i = 2;
        while (i < end)
        {
            positions.Add(start + i);
            if (text[i] == '"')
            {
                if (i + 1 >= end || text[i + 1] != '"')
                {
                    return false;
                }

                built.Append('"');
                i += 2;
            }
            else
            {
                built.Append(text[i]);
                i++;
            }
        }

        positions.Add(start + end);
        return true;
    }

    private static bool Raw(string text, int start, StringBuilder built, List<int> positions)
    {
        var quotes = 0;
        while (quotes < text.Length && text[quotes] == '"')
        {
            quotes++;
        }

        var closing = text.Length - quotes;
        if (closing < quotes)
        {
            return false;
        }

        var firstNewline = text.IndexOf('\n', quotes);
        if (firstNewline < 0 || firstNewline > closing)
        {
            // Single line: the content stands as written.
            for (var i = quotes; i < closing; i++)
            {
                positions.Add(start + i);
                built.Append(text[i]);
            }

            positions.Add(start + closing);
            return true;
        }

        // Multi-line: the whitespace before the closing quotes is removed from every content line.
        var lastNewline = text.LastIndexOf('\n', closing - 1);
        var indentation = text.Substring(lastNewline + 1, closing - lastNewline - 1);
        var contentEnd = lastNewline > 0 && text[lastNewline - 1] == '\r' ? lastNewline - 1 : lastNewline;
        var lineStart = firstNewline + 1;
        var first = true;
        while (lineStart <= contentEnd)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 || newline > contentEnd ? contentEnd : (text[newline - 1] == '\r' ? newline - 1 : newline);
            if (!first)
            {
                // The line break before this line belongs to the value, as written.
                var breakStart = text[lineStart - 2] == '\r' ? lineStart - 2 : lineStart - 1;
                for (var i = breakStart; i < lineStart; i++)
                {
                    positions.Add(start + i);
                    built.Append(text[i]);
                }
            }

            first = false;
            var contentStart = lineStart;
            if (lineEnd - lineStart >= indentation.Length && string.CompareOrdinal(text, lineStart, indentation, 0, indentation.Length) == 0)
            {
                contentStart += indentation.Length;
            }
            else if (text.Substring(lineStart, lineEnd - lineStart).Trim().Length > 0)
            {
                return false;
            }
            else
            {
                contentStart = lineEnd;
            }

            for (var i = contentStart; i < lineEnd; i++)
            {
                positions.Add(start + i);
                built.Append(text[i]);
            }

            if (newline < 0 || newline >= contentEnd)
            {
                break;
            }

            lineStart = newline + 1;
        }

        positions.Add(start + contentEnd);
        return true;
    }

    private static class Uri
    {
        public static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
