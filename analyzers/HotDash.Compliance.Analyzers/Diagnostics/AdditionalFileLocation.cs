using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.Diagnostics;

/// <summary>Locations inside AdditionalFiles (rules files, appsettings), with line and column for the build output.</summary>
internal static class AdditionalFileLocation
{
    public static Location Create(AdditionalText file, SourceText text, int start, int length)
    {
        if (start > text.Length)
        {
            start = text.Length;
        }

        if (start + length > text.Length)
        {
            length = text.Length - start;
        }

        var span = new TextSpan(start, length < 0 ? 0 : length);
        return Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));
    }
}
