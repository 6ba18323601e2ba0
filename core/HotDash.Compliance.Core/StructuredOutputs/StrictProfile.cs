using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Json;

// Compiled into the analyzers and into the audit engine: both read the profile from the same rules data.
namespace HotDash.Compliance.StructuredOutputs;

/// <summary>
/// What one provider's strict mode accepts (rules file, structuredOutputs.profiles): the keywords it rejects, the string
/// formats it knows, the regular-expression constructs its pattern engine refuses, and the limits. Data, not code:
/// OpenAI has relaxed strict mode more than once, and Azure OpenAI follows later, so the checks follow the rules file.
/// </summary>
internal sealed class StrictProfile
{
    /// <summary>The profile a rules file without structuredOutputs gets: nothing rejected beyond the structural rules.</summary>
    public static readonly StrictProfile Empty = new("none", [], formats: null, [], new StrictLimits());

    public StrictProfile(string name, IEnumerable<string> rejectedKeywords, IEnumerable<string>? formats, IEnumerable<string> rejectedPatternConstructs, StrictLimits limits)
    {
        Name = name;
        RejectedKeywords = new HashSet<string>(rejectedKeywords, StringComparer.Ordinal);
        Formats = formats is null ? null : new HashSet<string>(formats, StringComparer.Ordinal);
        RejectedPatternConstructs = new HashSet<string>(rejectedPatternConstructs, StringComparer.Ordinal);
        Limits = limits;
    }

    public string Name { get; }

    /// <summary>Keywords the provider answers "'x' is not permitted." for, wherever they appear.</summary>
    public IReadOnlyCollection<string> RejectedKeywords { get; }

    /// <summary>The values 'format' may take; null when the profile does not restrict them.</summary>
    public IReadOnlyCollection<string>? Formats { get; }

    /// <summary>Regular-expression constructs (see <see cref="PatternGrammar"/>) the provider's pattern engine refuses.</summary>
    public IReadOnlyCollection<string> RejectedPatternConstructs { get; }

    public StrictLimits Limits { get; }

    public bool Rejects(string keyword) => RejectedKeywords.Contains(keyword);
}

/// <summary>Reads the selected profile from a rules file's structuredOutputs object (already validated against the rules schema).</summary>
internal static class StrictProfileReader
{
    public const string DefaultProfile = "openai";

    /// <summary>
    /// The profile named by structuredOutputs.profile (default "openai") among structuredOutputs.profiles, then among the
    /// built-in canonical rules' profiles (so a rules file that does not extend them can still name "openai" or
    /// "azure-openai"). When the name is declared nowhere, <paramref name="problem"/> says so, with the value to point at,
    /// and the result is <see cref="StrictProfile.Empty"/>.
    /// </summary>
    public static StrictProfile Read(JsonValue? structuredOutputs, JsonValue? builtInStructuredOutputs, out (string Message, JsonValue At)? problem)
    {
        problem = null;
        if (structuredOutputs is null)
        {
            return StrictProfile.Empty;
        }

        var selector = structuredOutputs.Get("profile");
        var name = selector?.Text ?? DefaultProfile;
        var profiles = structuredOutputs.GetItems("profiles").Concat(builtInStructuredOutputs?.GetItems("profiles") ?? []).ToList();
        var profile = profiles.FirstOrDefault(p => p.GetString("name") == name);
        if (profile is null)
        {
            var declared = profiles.Select(p => p.GetString("name")).Where(n => n is not null).Distinct().ToList();
            problem = (
                $"structuredOutputs.profile '{name}' is not declared in structuredOutputs.profiles ({(declared.Count == 0 ? "none is" : string.Join(", ", declared) + " are")}); declare it there or pick a declared one",
                selector ?? structuredOutputs);
            return StrictProfile.Empty;
        }

        var pattern = profile.Get("pattern");
        return new StrictProfile(
            name,
            profile.GetItems("rejectedKeywords").Select(k => k.Text!),
            profile.Get("formats") is null ? null : profile.GetItems("formats").Select(f => f.Text!),
            pattern is null ? [] : pattern.GetItems("rejects").Select(r => r.Text!),
            ReadLimits(profile.Get("limits")));
    }

    private static StrictLimits ReadLimits(JsonValue? limits)
    {
        var result = new StrictLimits();
        if (limits is null)
        {
            return result;
        }

        int Get(string name, int fallback) => limits.GetInt64(name) is { } n && n <= int.MaxValue ? (int)n : fallback;
        result.MaxObjectProperties = Get("maxObjectProperties", result.MaxObjectProperties);
        result.MaxNestingDepth = Get("maxNestingDepth", result.MaxNestingDepth);
        result.MaxEnumValues = Get("maxEnumValues", result.MaxEnumValues);
        result.MaxTotalStringLength = Get("maxTotalStringLength", result.MaxTotalStringLength);
        result.LargeEnumThreshold = Get("largeEnumThreshold", result.LargeEnumThreshold);
        result.MaxLargeEnumStringLength = Get("maxLargeEnumStringLength", result.MaxLargeEnumStringLength);
        return result;
    }
}
