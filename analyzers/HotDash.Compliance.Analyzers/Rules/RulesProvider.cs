using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using HotDash.Compliance.Rules;
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
    /// <summary>MSBuild item metadata the package's targets set on the rules file.</summary>
    public const string RulesMetadataKey = "build_metadata.AdditionalFiles.HotDashRules";

    /// <summary>MSBuild item metadata the package's targets set on the files the rules file extends.</summary>
    public const string BaseRulesMetadataKey = "build_metadata.AdditionalFiles.HotDashRulesBase";

    private static readonly SourceTextValueProvider<RulesLoadResult> Cache =
        new(text => RulesLoader.Load(text.ToString(), "rules file"));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, RulesLoadResult> ExtendedByCompilation = new();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisPerformance", "RS1012", Justification = "Reads rules for the calling analyzer, which registers the actions.")]
    public static CompilationRules Get(CompilationStartAnalysisContext context)
    {
        // The file the build names (HotDashRules metadata) wins over one that only has the name: the files it
        // extends may be called hotdash.rules.json too.
        var file = context.Options.AdditionalFiles.FirstOrDefault(f => HasMetadata(context.Options, f, RulesMetadataKey))
            ?? context.Options.AdditionalFiles.FirstOrDefault(f => !HasMetadata(context.Options, f, BaseRulesMetadataKey) && HasRulesFileName(f));
        var text = file?.GetText(context.CancellationToken);
        if (file is null || text is null)
        {
            return new CompilationRules(RulesLoader.Defaults, null, null);
        }

        if (!context.TryGetValue(text, Cache, out var result))
        {
            return new CompilationRules(RulesLoader.Defaults, file, null);
        }

        if (result.ExtendsAFile)
        {
            // Not cached by text, since the result depends on the files it extends as well: once per compilation,
            // shared by every analyzer.
            var files = context.Options.AdditionalFiles;
            var missing = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(MissingRulesProperty, out var list)
                ? list.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(NormalizedPath).ToImmutableHashSet(StringComparer.Ordinal)
                : ImmutableHashSet<string>.Empty;
            var cancellationToken = context.CancellationToken;
            result = ExtendedByCompilation.GetValue(context.Compilation, _ =>
                RulesLoader.Load(new RulesText(file.Path, text.ToString()), (reference, from) => Resolve(files, missing, reference, from, cancellationToken)).AsExtendingAFile());
        }

        return result.Rules is not null
            ? new CompilationRules(result.Rules.WithOrigin(file.Path), file, result)
            : new CompilationRules(RulesLoader.Defaults, file, result);
    }

    /// <summary>The files named by "extends" that the build targets found missing on disk (HotDashRulesMissing).</summary>
    public const string MissingRulesProperty = "build_property.HotDashRulesMissing";

    private static (RulesText? Document, string? Missing) Resolve(ImmutableArray<AdditionalText> files, ImmutableHashSet<string> missing, string reference, RulesText from, System.Threading.CancellationToken cancellationToken)
    {
        var target = RulesComposer.RelativeTarget(reference, from.Origin);
        if (target is null)
        {
            return (BuiltInRules.Canonical, null);
        }

        var file = files.FirstOrDefault(f => string.Equals(NormalizedPath(f.Path), target, StringComparison.Ordinal));
        if (file?.GetText(cancellationToken) is { } text)
        {
            return (new RulesText(file.Path, text.ToString()), null);
        }

        if (missing.Contains(target))
        {
            return (null, RulesComposer.DoesNotExist(target));
        }

        return (null, $"{target} is not among the project's AdditionalFiles; the HotDash.Compliance build targets add the files a rules file extends, three levels deep: for a longer chain add <AdditionalFiles Include=\"{target}\" HotDashRulesBase=\"true\" />");
    }

    private static string NormalizedPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return path;
        }
    }

    public static bool IsRulesFile(AnalyzerOptions options, AdditionalText file) =>
        HasMetadata(options, file, RulesMetadataKey) || (!HasMetadata(options, file, BaseRulesMetadataKey) && HasRulesFileName(file));

    private static bool HasMetadata(AnalyzerOptions options, AdditionalText file, string key) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(key, out var flag) &&
        string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);

    private static bool HasRulesFileName(AdditionalText file)
    {
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
