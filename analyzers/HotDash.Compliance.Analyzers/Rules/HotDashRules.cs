using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;

namespace HotDash.Compliance.Analyzers.Rules;

/// <summary>The rules the analyzers enforce, bound from a rules file that passed validation.</summary>
internal sealed class HotDashRules
{
    public HotDashRules(
        string origin,
        ImmutableArray<DeprecatedKey> deprecatedKeys,
        ImmutableArray<SecretPattern> secretPatterns,
        ImmutableArray<BannedApi> bannedApis,
        DatabaseProviders database,
        StructuredOutputRules structuredOutputs)
    {
        StructuredOutputs = structuredOutputs;
        Origin = origin;
        DeprecatedKeys = deprecatedKeys;
        SecretPatterns = secretPatterns;
        BannedApis = bannedApis;
        Database = database;
    }

    /// <summary>Where the rules came from: a file path, or "built-in defaults".</summary>
    public string Origin { get; }

    public ImmutableArray<DeprecatedKey> DeprecatedKeys { get; }

    public ImmutableArray<SecretPattern> SecretPatterns { get; }

    public ImmutableArray<BannedApi> BannedApis { get; }

    public DatabaseProviders Database { get; }

    public StructuredOutputRules StructuredOutputs { get; }

    public HotDashRules WithOrigin(string origin) => new(origin, DeprecatedKeys, SecretPatterns, BannedApis, Database, StructuredOutputs);

    /// <summary>The deprecated key that <paramref name="key"/> spells, in any spelling configuration treats as equal.</summary>
    public DeprecatedKey? FindDeprecatedKey(string key)
    {
        var normalized = ConfigurationKey.Normalize(key);
        foreach (var deprecated in DeprecatedKeys)
        {
            if (deprecated.NormalizedSpellings.Contains(normalized))
            {
                return deprecated;
            }
        }

        return null;
    }
}

internal sealed class DeprecatedKey
{
    public DeprecatedKey(string key, ImmutableArray<string> aliases, string replacement)
    {
        Key = key;
        Aliases = aliases;
        Replacement = replacement;
        NormalizedSpellings = aliases.Add(key).Select(ConfigurationKey.Normalize).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public string Key { get; }

    public ImmutableArray<string> Aliases { get; }

    public string Replacement { get; }

    public ImmutableHashSet<string> NormalizedSpellings { get; }
}

internal sealed class SecretPattern
{
    public SecretPattern(string id, string description, Regex regex, string? hint, string? decoder = null)
    {
        Id = id;
        Description = description;
        Regex = regex;
        Hint = hint;
        Decoder = decoder;
    }

    /// <summary>How a match is read before it counts (<see cref="HotDash.Compliance.Secrets.SecretDecoders"/>), or null.</summary>
    public string? Decoder { get; }

    public string Id { get; }

    public string Description { get; }

    public Regex Regex { get; }

    public string? Hint { get; }
}

internal sealed class BannedApi
{
    public BannedApi(string symbolId, string message)
    {
        SymbolId = symbolId;
        Message = message;
    }

    /// <summary>Documentation-comment ID, e.g. <c>M:System.Environment.GetEnvironmentVariables</c>.</summary>
    public string SymbolId { get; }

    public string Message { get; }
}

/// <summary>The declared database provider, the forbidden ones, and how each is recognised by host.</summary>
internal sealed class DatabaseProviders
{
    public static readonly DatabaseProviders None = new(null, ImmutableArray<string>.Empty, ImmutableArray<HotDash.Compliance.Providers.ProviderHosts>.Empty);

    public DatabaseProviders(string? declared, ImmutableArray<string> forbidden, ImmutableArray<HotDash.Compliance.Providers.ProviderHosts> hosts)
    {
        Declared = declared;
        Forbidden = forbidden;
        Hosts = hosts;
    }

    public string? Declared { get; }

    public ImmutableArray<string> Forbidden { get; }

    public ImmutableArray<HotDash.Compliance.Providers.ProviderHosts> Hosts { get; }
}

/// <summary>The methods that send a schema or a type to a structured-output API, and the strict-mode profile the checks follow.</summary>
internal sealed class StructuredOutputRules
{
    public static readonly StructuredOutputRules None = new(ImmutableArray<EntryPoint>.Empty, HotDash.Compliance.StructuredOutputs.StrictProfile.Empty);

    public StructuredOutputRules(ImmutableArray<EntryPoint> entryPoints, HotDash.Compliance.StructuredOutputs.StrictProfile profile)
    {
        EntryPoints = entryPoints;
        Profile = profile;
    }

    public ImmutableArray<EntryPoint> EntryPoints { get; }

    public HotDash.Compliance.StructuredOutputs.StrictProfile Profile { get; }
}

/// <summary>One entry point: containing type (metadata name), member, and how strictness is decided.</summary>
internal sealed class EntryPoint
{
    public EntryPoint(
        string typeName,
        string member,
        string kind,
        string? schemaParameter,
        string? strictParameter,
        bool alwaysStrict,
        string? strictOptionsParameter = null,
        string? strictAdditionalProperty = null,
        bool generatedSchemaRequiresEveryProperty = false,
        bool generatedSchemaSendsValidationKeywords = false)
    {
        TypeName = typeName;
        Member = member;
        Kind = kind;
        SchemaParameter = schemaParameter;
        StrictParameter = strictParameter;
        AlwaysStrict = alwaysStrict;
        StrictOptionsParameter = strictOptionsParameter;
        StrictAdditionalProperty = strictAdditionalProperty;
        GeneratedSchemaRequiresEveryProperty = generatedSchemaRequiresEveryProperty;
        GeneratedSchemaSendsValidationKeywords = generatedSchemaSendsValidationKeywords;
    }

    public string TypeName { get; }

    public string Member { get; }

    /// <summary>"schemaLiteral" or "type"; a call's own shape (a type argument, typeof) decides too.</summary>
    public string Kind { get; }

    public string? SchemaParameter { get; }

    public string? StrictParameter { get; }

    public bool AlwaysStrict { get; }

    /// <summary>The options parameter whose AdditionalProperties[<see cref="StrictAdditionalProperty"/>] = true turns strict mode on.</summary>
    public string? StrictOptionsParameter { get; }

    public string? StrictAdditionalProperty { get; }

    /// <summary>The SDK's own schema lists every property in 'required': strict mode accepts it, and the model fills them all.</summary>
    public bool GeneratedSchemaRequiresEveryProperty { get; }

    /// <summary>
    /// The SDK's own schema carries 'format', 'pattern', 'minimum', 'minLength' ... as keywords (from .NET types and
    /// DataAnnotations), so the provider profile judges them; false when the SDK moves them into 'description' or is not known.
    /// </summary>
    public bool GeneratedSchemaSendsValidationKeywords { get; }

    public string DisplayName => TypeName.Substring(TypeName.LastIndexOf('.') + 1) + "." + Member;
}

/// <summary>How .NET configuration compares keys: case-insensitively, with ':' and '__' as the same separator.</summary>
internal static class ConfigurationKey
{
    public static string Normalize(string key) => key.Trim().Replace("__", ":");

    public static string Combine(string? prefix, string key) =>
        string.IsNullOrEmpty(prefix) ? key : prefix + ":" + key;
}
