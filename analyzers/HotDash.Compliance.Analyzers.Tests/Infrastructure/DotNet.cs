using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace HotDash.Compliance.Analyzers.Tests.Infrastructure;

/// <summary>A finished <c>dotnet</c> command: exit code, output, and the diagnostics MSBuild printed.</summary>
internal sealed record DotNetResult(int ExitCode, string Output)
{
    private static readonly Regex DiagnosticLine = new(@"^[ \t]*(?<file>[^\s(][^(\r\n]*)\((?<line>\d+),(?<col>\d+)\): (?<severity>warning|error) (?<id>[A-Z]+\d+): (?<message>[^\r\n]*?)(?: \[[^\]\r\n]+\])?\r?$", RegexOptions.Multiline);

    /// <summary>Distinct diagnostics (MSBuild repeats them in its summary).</summary>
    public IReadOnlyList<BuildDiagnostic> Diagnostics =>
        DiagnosticLine.Matches(Output)
            .Select(m => new BuildDiagnostic(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value), m.Groups["severity"].Value, m.Groups["id"].Value, m.Groups["message"].Value))
            .Distinct()
            .ToList();
}

internal sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message);

/// <summary>Runs the real dotnet CLI, bounded in time.</summary>
internal static class DotNet
{
    public static DotNetResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", workingDirectory, timeout, null, arguments);
        return new DotNetResult(result.ExitCode, result.Output);
    }
}
