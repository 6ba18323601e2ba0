using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HotDash.Compliance.Json;

/// <summary>The outcome of parsing: a value, or the first error and where it is.</summary>
internal sealed class JsonParseResult
{
    private JsonParseResult(JsonValue? value, string? error, int errorOffset)
    {
        Value = value;
        Error = error;
        ErrorOffset = errorOffset;
    }

    public JsonValue? Value { get; }

    public string? Error { get; }

    /// <summary>Offset in the parsed text of the character the error is about.</summary>
    public int ErrorOffset { get; }

    public bool Succeeded => Value is not null;

    public static JsonParseResult Success(JsonValue value) => new(value, null, 0);

    public static JsonParseResult Failure(string error, int offset) => new(null, error, offset);
}

/// <summary>
/// A strict RFC 8259 reader that records spans. It accepts and rejects exactly what
/// System.Text.Json's <c>JsonDocument.Parse</c> does with default options (no comments, no
/// trailing commas, a maximum depth of 64), so that build time and test time agree on what
/// a valid file is. It never throws: every problem is returned with its offset.
/// </summary>
internal sealed class JsonParser
{
    /// <summary>System.Text.Json's default maximum depth.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private string? _error;
    private int _errorOffset;

    private JsonParser(string text)
    {
        _text = text;
    }

    public static JsonParseResult Parse(string text)
    {
        var parser = new JsonParser(text);
        return parser.ParseDocument();
    }

    private JsonParseResult ParseDocument()
    {
        // No byte order mark handling: file readers (Roslyn's SourceText, File.ReadAllText) strip it,
        // and JsonDocument.Parse(string) rejects one left in the text, as this parser does.
        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            return JsonParseResult.Failure("the document is empty; expected a JSON value", _pos);
        }

        var value = ParseValue(0);
        if (value is null)
        {
            return JsonParseResult.Failure(_error!, _errorOffset);
        }

        SkipWhitespace();
        if (_pos < _text.Length)
        {
            return JsonParseResult.Failure($"unexpected '{Describe(_text[_pos])}' after the end of the JSON value", _pos);
        }

        return JsonParseResult.Success(value);
    }

    private JsonValue? Fail(string message, int offset)
    {
        if (_error is null)
        {
            _error = message;
            _errorOffset = offset;
        }

        return null;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                _pos++;
            }
            else
            {
                return;
            }
        }
    }

    private JsonValue? ParseValue(int depth)
    {
        if (_pos >= _text.Length)
        {
            return Fail("unexpected end of text; expected a JSON value", _pos);
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth + 1);
            case '[':
                return ParseArray(depth + 1);
            case '"':
                var start = _pos;
                var s = ParseString();
                return s is null ? null : JsonValue.Scalar(JsonKind.String, start, _pos - start, s);
            case 't':
                return ParseLiteral("true", JsonKind.True);
            case 'f':
                return ParseLiteral("false", JsonKind.False);
            case 'n':
                return ParseLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber();
                }

                return Fail($"unexpected '{Describe(c)}'; expected a JSON value", _pos);
        }
    }

    private JsonValue? ParseLiteral(string literal, JsonKind kind)
    {
        var start = _pos;
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            return Fail($"invalid literal; expected '{literal}'", start);
        }

        _pos += literal.Length;
        return JsonValue.Scalar(kind, start, literal.Length);
    }

    private JsonValue? ParseNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (_pos >= _text.Length || !IsDigit(_text[_pos]))
        {
            return Fail("invalid number; expected a digit", _pos);
        }

        if (_text[_pos] == '0')
        {
            _pos++;
            if (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                return Fail("invalid number; a number cannot have leading zeros", _pos);
            }
        }
        else
        {
            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                return Fail("invalid number; expected a digit after '.'", _pos);
            }

            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            _pos++;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
            {
                _pos++;
            }

            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                return Fail("invalid number; expected a digit in the exponent", _pos);
            }

            while (_pos < _text.Length && IsDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        // JsonDocument rejects a number followed directly by a character that cannot end a value.
        if (_pos < _text.Length && !IsValueTerminator(_text[_pos]))
        {
            return Fail($"invalid number; unexpected '{Describe(_text[_pos])}'", _pos);
        }

        return JsonValue.Scalar(JsonKind.Number, start, _pos - start, _text.Substring(start, _pos - start));
    }

    private static bool IsValueTerminator(char c) => c is ' ' or '\t' or '\n' or '\r' or ',' or ']' or '}';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private string? ParseString()
    {
        // At the opening quote.
        _pos++;
        StringBuilder? sb = null;
        var runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                Fail("unterminated string; expected '\"'", _pos);
                return null;
            }

            var c = _text[_pos];
            if (c == '"')
            {
                string result;
                if (sb is null)
                {
                    result = _text.Substring(runStart, _pos - runStart);
                }
                else
                {
                    sb.Append(_text, runStart, _pos - runStart);
                    result = sb.ToString();
                }

                _pos++;
                return result;
            }

            if (c < 0x20)
            {
                Fail("invalid control character in a string; escape it", _pos);
                return null;
            }

            if (char.IsSurrogate(c))
            {
                // System.Text.Json reads UTF-8, which cannot hold a lone surrogate: it rejects the text.
                if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
                {
                    _pos += 2;
                    continue;
                }

                Fail("invalid text: a lone UTF-16 surrogate cannot be encoded as UTF-8", _pos);
                return null;
            }

            if (c != '\\')
            {
                _pos++;
                continue;
            }

            sb ??= new StringBuilder();
            sb.Append(_text, runStart, _pos - runStart);
            var escapeStart = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                Fail("unterminated escape sequence", escapeStart);
                return null;
            }

            var e = _text[_pos];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 >= _text.Length || !IsHex4(_text, _pos + 1) ||
                        !int.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        Fail("invalid \\u escape; expected four hex digits", escapeStart);
                        return null;
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    Fail($"invalid escape sequence '\\{Describe(e)}'", escapeStart);
                    return null;
            }

            _pos++;
            runStart = _pos;
        }
    }

    private static bool IsHex4(string text, int start)
    {
        for (var i = start; i < start + 4; i++)
        {
            var c = text[i];
            var hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex)
            {
                return false;
            }
        }

        return true;
    }

    private JsonValue? ParseObject(int depth)
    {
        var start = _pos;
        if (depth > MaxDepth)
        {
            return Fail($"the document is nested deeper than {MaxDepth} levels", start);
        }

        _pos++;
        var members = new List<JsonMember>();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return JsonValue.Object(start, _pos - start, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                return Fail("unexpected end of text; expected a property name or '}'", _pos);
            }

            if (_text[_pos] != '"')
            {
                return Fail($"unexpected '{Describe(_text[_pos])}'; expected a property name in double quotes", _pos);
            }

            var nameStart = _pos;
            var name = ParseString();
            if (name is null)
            {
                return null;
            }

            var nameLength = _pos - nameStart;
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                return Fail(_pos >= _text.Length ? "unexpected end of text; expected ':'" : $"unexpected '{Describe(_text[_pos])}'; expected ':' after the property name", _pos);
            }

            _pos++;
            SkipWhitespace();
            var value = ParseValue(depth);
            if (value is null)
            {
                return null;
            }

            members.Add(new JsonMember(name, nameStart, nameLength, value));
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                return Fail("unexpected end of text; expected ',' or '}'", _pos);
            }

            var c = _text[_pos];
            if (c == ',')
            {
                _pos++;
                continue;
            }

            if (c == '}')
            {
                _pos++;
                return JsonValue.Object(start, _pos - start, members);
            }

            return Fail($"unexpected '{Describe(c)}'; expected ',' or '}}'", _pos);
        }
    }

    private JsonValue? ParseArray(int depth)
    {
        var start = _pos;
        if (depth > MaxDepth)
        {
            return Fail($"the document is nested deeper than {MaxDepth} levels", start);
        }

        _pos++;
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return JsonValue.Array(start, _pos - start, items);
        }

        while (true)
        {
            SkipWhitespace();
            var item = ParseValue(depth);
            if (item is null)
            {
                return null;
            }

            items.Add(item);
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                return Fail("unexpected end of text; expected ',' or ']'", _pos);
            }

            var c = _text[_pos];
            if (c == ',')
            {
                _pos++;
                continue;
            }

            if (c == ']')
            {
                _pos++;
                return JsonValue.Array(start, _pos - start, items);
            }

            return Fail($"unexpected '{Describe(c)}'; expected ',' or ']'", _pos);
        }
    }

    private static string Describe(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when c < 0x20 => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };
}
