using System.Collections.Generic;
using System.Linq;

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

    public LatencyRules Latency { get; init; } = new();
}

public sealed record LatencyRules
{
    public IReadOnlyList<LatencyEndpoint> Endpoints { get; init; } = [];
}

/// <summary>An HTTP endpoint and its latency budget (HD8001).</summary>
public sealed record LatencyEndpoint
{
    public required string Name { get; init; }

    public string? Url { get; init; }

    public string? UrlFromEnv { get; init; }

    public string Method { get; init; } = "GET";

    public int ExpectedStatus { get; init; } = 200;

    public int Samples { get; init; } = 20;

    public int Warmup { get; init; } = 2;

    public int TimeoutMs { get; init; } = 5000;

    public LatencyBudgets Budgets { get; init; } = new();

    public IReadOnlyList<LatencyHeader> Headers { get; init; } = [];
}

public sealed record LatencyBudgets
{
    public int? P50 { get; init; }

    public int? P95 { get; init; }

    public int? Max { get; init; }
}

public sealed record LatencyHeader(string Name, string? Value, string? ValueFromEnv);

public sealed record ConfigurationRules
{
    public IReadOnlyList<DeprecatedKeyRule> DeprecatedKeys { get; init; } = [];

    public IReadOnlyList<SecretPatternRule> SecretPatterns { get; init; } = [];
}

public sealed record DeprecatedKeyRule(string Key, IReadOnlyList<string>? Aliases, string Replacement, string? Reason);

public sealed record SecretPatternRule(string Id, string Description, string Pattern, string? Hint, string? Decoder = null);

public sealed record BannedApiRule(string Symbol, string Message);

public sealed record StructuredOutputRules
{
    public IReadOnlyList<EntryPointRule> EntryPoints { get; init; } = [];

    /// <summary>The strict-mode provider profile the checks follow (one of <see cref="Profiles"/>).</summary>
    public string Profile { get; init; } = "openai";

    /// <summary>The declared profiles, as data (keywords, formats, pattern constructs, limits, evidence); read by the analyzers' own reader.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> Profiles { get; init; } = [];

    /// <summary>The selected profile, read by the same code the analyzers use.</summary>
    internal HotDash.Compliance.StructuredOutputs.StrictProfile StrictProfile()
    {
        var text = System.Text.Json.JsonSerializer.Serialize(new { profile = Profile, profiles = Profiles });
        return HotDash.Compliance.StructuredOutputs.StrictProfileReader.Read(HotDash.Compliance.Json.JsonParser.Parse(text).Value, HotDash.Compliance.Rules.BuiltInRules.StructuredOutputs, out _);
    }

    public IReadOnlyList<string> Assemblies { get; init; } = [];

    public IReadOnlyList<string> Types { get; init; } = [];
}

public sealed record EntryPointRule(
    string Method,
    string Kind,
    string? SchemaParameter,
    string? StrictParameter,
    bool AlwaysStrict,
    StrictAdditionalPropertyRule? StrictWhenAdditionalProperty = null,
    bool GeneratedSchemaRequiresEveryProperty = false,
    string? GeneratedSchemaValidationKeywords = null);

/// <summary>Strict when the options argument sets AdditionalProperties[Key] = true (Microsoft.Extensions.AI's OpenAI adapter).</summary>
public sealed record StrictAdditionalPropertyRule(string Parameter, string Key);

public sealed record DatabaseRules
{
    public string? Provider { get; init; }

    public IReadOnlyList<string> ForbiddenProviders { get; init; } = [];

    public IReadOnlyList<ProviderSignature> Providers { get; init; } = [];

    public RlsRules Rls { get; init; } = new();

    /// <summary>The roles API requests run as; effective access is judged for them.</summary>
    public IReadOnlyList<string> ApiRoles { get; init; } = ["anon", "authenticated"];

    /// <summary>The role PostgREST connects as; its pgrst.db_schemas setting names the exposed schemas.</summary>
    public string AuthenticatorRole { get; init; } = "authenticator";

    /// <summary>The exposed schemas when the database does not name them itself.</summary>
    public IReadOnlyList<string> ExposedSchemas { get; init; } = ["public", "graphql_public"];

    /// <summary>Relations (schema.name) no API role may read through a view.</summary>
    public IReadOnlyList<string> PrivateRelations { get; init; } = ["auth.users"];

    /// <summary>Text that marks user-editable data (user_metadata); a policy that reads it trusts the user.</summary>
    public IReadOnlyList<string> UserEditableClaims { get; init; } = ["user_metadata", "raw_user_meta_data"];

    /// <summary>Columns only the server may write (HD5014); the built-in rules declare the common ones.</summary>
    public IReadOnlyList<ProtectedColumnRule> ProtectedColumns { get; init; } = [];

    /// <summary>Settings the API's caller chooses (request.headers, request.cookies); a policy that decides by one trusts the caller.</summary>
    public IReadOnlyList<string> CallerSetSettings { get; init; } = ["request.headers", "request.cookies"];

    public IReadOnlyList<FunctionExemption> FunctionExemptions { get; init; } = [];

    /// <summary>Access the API roles have on purpose, each with its reason: the attack simulation and HD5006 read it.</summary>
    public IReadOnlyList<IntendedAccess> IntendedAccess { get; init; } = [];

    public MigrationRules Migrations { get; init; } = new();
}

/// <summary>The migrations audit's settings in the rules.</summary>
public sealed record MigrationRules
{
    /// <summary>CREATE EXTENSION statements a disposable server may skip, each with its reason.</summary>
    public IReadOnlyList<ExtensionSkip> SkipExtensions { get; init; } = [];
}

public sealed record ExtensionSkip(string Name, string Reason);

/// <summary>A SECURITY DEFINER function the API may call on purpose (every overload of schema.name).</summary>
public sealed record FunctionExemption(string Function, string Reason);

/// <summary>Access to <see cref="Relation"/> (schema.name) the <see cref="Roles"/> have on purpose: read, insert, update, delete, execute.</summary>
public sealed record IntendedAccess(string Relation, IReadOnlyList<string> Roles, IReadOnlyList<string> Operations, string Reason)
{
    public bool Covers(string schema, string name, string role, string operation) =>
        Relation == $"{schema}.{name}" && Roles.Contains(role) && Operations.Contains(operation);
}

/// <summary>A column only the server may write: <see cref="Column"/> and <see cref="Tables"/> are .NET regular expressions over names (case-insensitive).</summary>
public sealed record ProtectedColumnRule(string Column, string? Tables, string Reason)
{
    public bool Matches(string table, string column) =>
        System.Text.RegularExpressions.Regex.IsMatch(column, Column, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, System.TimeSpan.FromMilliseconds(200))
        && (Tables is null || System.Text.RegularExpressions.Regex.IsMatch(table, Tables, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, System.TimeSpan.FromMilliseconds(200)));
}

public sealed record ProviderSignature
{
    public required string Name { get; init; }

    public IReadOnlyList<string> HostPatterns { get; init; } = [];

    public IReadOnlyList<string> ExcludeHostPatterns { get; init; } = [];

    public IReadOnlyList<string> Schemas { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Databases { get; init; } = [];

    // Platform artifacts: things only the provider's own services and server modules leave behind.
    // Names alone (schemas, roles) are easy to imitate; these are what confirm the provider from inside.

    public IReadOnlyList<string> Tables { get; init; } = [];

    public IReadOnlyList<string> Extensions { get; init; } = [];

    public IReadOnlyList<string> Settings { get; init; } = [];

    public IReadOnlyList<string> Publications { get; init; } = [];

    public IEnumerable<string> NameSignals =>
        Schemas.Select(s => $"schema {s}").Concat(Roles.Select(r => $"role {r}")).Concat(Databases.Select(d => $"database {d}"));

    public IEnumerable<string> PlatformSignals =>
        Tables.Select(t => $"table {t}").Concat(Extensions.Select(e => $"extension {e}"))
            .Concat(Settings.Select(s => $"setting {s}")).Concat(Publications.Select(p => $"publication {p}"));
}

public sealed record RlsRules
{
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];

    public string NoPolicySeverity { get; init; } = "warning";

    public IReadOnlyList<RlsExemption> Exemptions { get; init; } = [];

    /// <summary>Tables anyone may read in full, on purpose: an always-true SELECT policy for anon is intended there.</summary>
    public IReadOnlyList<RlsExemption> PublicRead { get; init; } = [];
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
public sealed record FlyProcessRule(string Group, System.Text.Json.JsonElement MinMemory, FlyWarmRule? Warm = null);

/// <summary>The warm capacity a process group needs: machines the Fly proxy may not stop when idle.</summary>
public sealed record FlyWarmRule
{
    public int MinMachinesRunning { get; init; }

    /// <summary>The auto_stop_machines values allowed: "off", "stop", "suspend" (all when empty).</summary>
    public IReadOnlyList<string> AutoStop { get; init; } = [];

    /// <summary>Count only started machines in fly.toml's primary_region.</summary>
    public bool InPrimaryRegion { get; init; }
}
