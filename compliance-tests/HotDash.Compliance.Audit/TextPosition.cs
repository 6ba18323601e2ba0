using System;

namespace HotDash.Compliance.Audit;

/// <summary>Where a character offset falls in a text, as editors count: 1-based line and column.</summary>
public static class TextPosition
{
    public static (int Line, int Column) Of(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1 + text.AsSpan(0, offset).Count('\n');
        var column = offset - (offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1) + 1;
        return (line, column);
    }
}
