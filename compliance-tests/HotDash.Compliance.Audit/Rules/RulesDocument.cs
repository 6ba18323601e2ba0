using System.Collections.Generic;

namespace HotDash.Compliance.Audit.Rules;

// The typed view of a rules file (rules/canonical-stack.schema.json). Property names follow the
// JSON (camelCase through the serializer options); every section is optional in the file.

public sealed record RulesDocument
{
    public int Version { get; init; }

    public ConfigurationRules Configuration { get; init; } = new();

    public IReadOnlyList<BannedApiRule> BannedApis { get; init; } = [];

    public StructuredOutputRules StructuredOutputs { get; init; } = new();

    public DatabaseRules Database { get; init; } = new();

    public FlyRules Fly { get; init; } = new();
}

public sealed record ConfigurationRules
{
    public IReadOnlyList<DeprecatedKeyRule> DeprecatedKeys { get; init; } = [];

    public IReadOnlyList<SecretPatternRule> SecretPatterns { get; init; } = [];
}

public sealed record DeprecatedKeyRule(string Key, IReadOnlyList<string>? Aliases, string Replacement, string? Reason);

public sealed record SecretPatternRule(string Id, string Description, string Pattern, string? Hint);

public sealed record BannedApiRule(string Symbol, string Message);

public sealed record StructuredOutputRules
{
    public IReadOnlyList<EntryPointRule> EntryPoints { get; init; } = [];

    public StructuredOutputLimits Limits { get; init; } = new();

    public IReadOnlyList<string> Assemblies { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];
}

public sealed record EntryPointRule(string Method, string Kind, string? SchemaParameter, string? StrictParameter, bool AlwaysStrict);

/// <summary>OpenAI strict-mode limits; the defaults are OpenAI's documented ones.</summary>
public sealed record StructuredOutputLimits
{
    public int MaxObjectProperties { get; init; } = 5000;

    public int MaxNestingDepth { get; init; } = 10;

    public int MaxEnumValues { get; init; } = 1000;

    public int MaxTotalStringLength { get; init; } = 120_000;

    public int LargeEnumThreshold { get; init; } = 250;

    public int MaxLargeEnumStringLength { get; init; } = 15_000;
}

public sealed record DatabaseRules
{
    public string? Provider { get; init; }

    public IReadOnlyList<string> ForbiddenProviders { get; init; } = [];

    public IReadOnlyList<ProviderSignature> Providers { get; init; } = [];

    public RlsRules Rls { get; init; } = new();
}

public sealed record ProviderSignature
{
    public required string Name { get; init; }

    public IReadOnlyList<string> HostPatterns { get; init; } = [];

    public IReadOnlyList<string> Schemas { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Databases { get; init; } = [];
}

public sealed record RlsRules
{
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];

    public string NoPolicySeverity { get; init; } = "warning";

    public IReadOnlyList<RlsExemption> Exemptions { get; init; } = [];
}

public sealed record RlsExemption(string Table, string Reason);

public sealed record FlyRules
{
    public IReadOnlyList<FlyAppRule> Apps { get; init; } = [];
}

public sealed record FlyAppRule
{
    public required string Name { get; init; }

    public required string Config { get; init; }

    public IReadOnlyList<FlyProcessRule> Processes { get; init; } = [];
}

/// <summary>A process group's minimum memory; <see cref="MinMemory"/> is the raw JSON value (integer MB or a size string).</summary>
public sealed record FlyProcessRule(string Group, System.Text.Json.JsonElement MinMemory);
