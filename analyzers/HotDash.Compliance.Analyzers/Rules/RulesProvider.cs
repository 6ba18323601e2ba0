using System;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HotDash.Compliance.Analyzers.Rules;

/// <summary>The rules in force for one compilation, and the rules file they came from (if any).</summary>
internal sealed class CompilationRules
{
    public CompilationRules(HotDashRules rules, AdditionalText? file, RulesLoadResult? fileResult)
    {
        Rules = rules;
        File = file;
        FileResult = fileResult;
    }

    /// <summary>The effective rules: the file's when it loaded, else the built-in defaults.</summary>
    public HotDashRules Rules { get; }

    public AdditionalText? File { get; }

    public RulesLoadResult? FileResult { get; }

    public bool IsRulesFile(AdditionalText text) => File is not null && string.Equals(File.Path, text.Path, StringComparison.Ordinal);

    /// <summary>An appsettings*.json the analyzers read for keys and hosts (never the rules file itself).</summary>
    public bool IsAppSettingsFile(AdditionalText text) => RulesProvider.IsAppSettingsFile(text) && !IsRulesFile(text);
}

/// <summary>
/// Finds the rules file among the compilation's AdditionalFiles and loads it once per text
/// (Roslyn's <see cref="SourceTextValueProvider{TValue}"/> cache is shared by every analyzer).
/// The analyzers never read the file system (RS1035).
/// </summary>
internal static class RulesProvider
{
    /// <summary>MSBuild item metadata the package's props set on the rules file.</summary>
    public const string RulesMetadataKey = "build_metadata.AdditionalFiles.HotDashRules";

    private static readonly SourceTextValueProvider<RulesLoadResult> Cache =
        new(text => RulesLoader.Load(text.ToString(), "rules file"));

    [System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisPerformance", "RS1012", Justification = "Reads rules for the calling analyzer, which registers the actions.")]
    public static CompilationRules Get(CompilationStartAnalysisContext context)
    {
        foreach (var file in context.Options.AdditionalFiles)
        {
            if (!IsRulesFile(context.Options, file))
            {
                continue;
            }

            var text = file.GetText(context.CancellationToken);
            if (text is null)
            {
                continue;
            }

            if (context.TryGetValue(text, Cache, out var result) && result.Rules is not null)
            {
                return new CompilationRules(result.Rules.WithOrigin(file.Path), file, result);
            }

            return new CompilationRules(RulesLoader.Defaults, file, result);
        }

        return new CompilationRules(RulesLoader.Defaults, null, null);
    }

    public static bool IsRulesFile(AnalyzerOptions options, AdditionalText file)
    {
        if (options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(RulesMetadataKey, out var flag) &&
            string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var name = Path.GetFileName(file.Path);
        return string.Equals(name, "hotdash.rules.json", StringComparison.OrdinalIgnoreCase) ||
               string.Equals(name, "canonical-stack.json", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsAppSettingsFile(AdditionalText file)
    {
        var name = Path.GetFileName(file.Path);
        return name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) &&
               name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }
}
