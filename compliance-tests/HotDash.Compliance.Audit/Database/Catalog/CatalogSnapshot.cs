using System;
using System.Collections.Generic;
using System.Linq;

namespace HotDash.Compliance.Audit.Database.Catalog;

/// <summary>
/// Everything the database audits judge, read once in a constant number of round trips (see
/// <see cref="CatalogReader"/>) inside the audit's read-only snapshot. Every check is a pure function
/// of this model, so each one is testable without a server and proved against a real one.
/// </summary>
public sealed record CatalogSnapshot
{
    /// <summary>The roles API requests run as that exist in the database (rules' apiRoles).</summary>
    public required IReadOnlyList<string> ApiRoles { get; init; }

    /// <summary>The schemas the API exposes, and where that list came from.</summary>
    public required ExposedSchemas Exposed { get; init; }

    /// <summary>The schemas whose relations, policies and functions were read.</summary>
    public required IReadOnlyList<string> ReadSchemas { get; init; }

    /// <summary>Schema name → API roles with USAGE on it (without USAGE a role reaches nothing inside).</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> SchemaUsage { get; init; }

    public required IReadOnlyList<CatalogRelation> Relations { get; init; }

    public required IReadOnlyList<CatalogPolicy> Policies { get; init; }

    public required IReadOnlyList<CatalogFunction> Functions { get; init; }

    /// <summary>Roles that read past RLS: superusers and BYPASSRLS roles.</summary>
    public required IReadOnlyList<CatalogRole> RlsBypassingRoles { get; init; }

    /// <summary>Direct dependencies of views and materialized views on other relations.</summary>
    public required IReadOnlyList<ViewDependency> ViewDependencies { get; init; }

    /// <summary>Columns an API role may write, of RLS tables with a permissive write policy (HD5014).</summary>
    public IReadOnlyList<CatalogColumn> WritableColumns { get; init; } = [];

    /// <summary>
    /// Storage buckets; null when there is no storage.buckets table, or the audit role may not read it, or RLS may hide
    /// some of its rows from the audit role (see <see cref="BucketsNote"/>): nothing is judged from rows it may not see.
    /// </summary>
    public IReadOnlyList<StorageBucket>? Buckets { get; init; }

    /// <summary>Why <see cref="Buckets"/> is null, with the fix.</summary>
    public string? BucketsNote { get; init; }

    /// <summary>"kind name" signals of a hosting platform found inside the database (see ProviderAudit).</summary>
    public required IReadOnlySet<string> ProviderSignals { get; init; }

    public Version ServerVersion { get; init; } = new(15, 0);

    // Indexes over the lists, built on first use: the checks look things up per table and per function,
    // and a database has tens of thousands of them.
    private Dictionary<(string, string), CatalogRelation>? _relationsByName;
    private ILookup<(string, string), CatalogPolicy>? _policiesByTable;
    private HashSet<string>? _ownersOfUnforcedRlsTables;

    public CatalogRelation? FindRelation(string schema, string name) =>
        (_relationsByName ??= Relations.GroupBy(r => (r.Schema, r.Name)).ToDictionary(g => g.Key, g => g.First())).GetValueOrDefault((schema, name));

    public IEnumerable<CatalogPolicy> PoliciesOf(CatalogRelation relation) =>
        (_policiesByTable ??= Policies.ToLookup(p => (p.Schema, p.Table)))[(relation.Schema, relation.Name)];

    /// <summary>Whether the role owns a table with RLS enabled but not forced (its owner reads past the policies).</summary>
    public bool OwnsTablesPastRls(string role) =>
        (_ownersOfUnforcedRlsTables ??= Relations.Where(r => r.IsTable && r.RlsEnabled && !r.RlsForced).Select(r => r.Owner).ToHashSet(StringComparer.Ordinal)).Contains(role);

    /// <summary>Can this API role reach objects in the schema at all (the schema is exposed and the role has USAGE)?</summary>
    public bool Reaches(string role, string schema) =>
        Exposed.Schemas.Contains(schema) && SchemaUsage.TryGetValue(schema, out var roles) && roles.Contains(role);

    /// <summary>The API roles that may read the relation through the API: USAGE on its exposed schema and SELECT on it.</summary>
    public IReadOnlyList<string> Readers(CatalogRelation relation) =>
        ApiRoles.Where(r => Reaches(r, relation.Schema) && relation.PrivilegesOf(r).HasFlag(TablePrivileges.Select)).ToList();
}

/// <summary>The exposed schemas and their source: the database's pgrst.db_schemas, or the rules.</summary>
public sealed record ExposedSchemas(IReadOnlyList<string> Schemas, string Source);

/// <summary>A table, partitioned table, view, materialized view or foreign table.</summary>
public sealed record CatalogRelation(
    string Schema,
    string Name,
    char Kind,
    string Owner,
    bool RlsEnabled,
    bool RlsForced,
    string? Parent,
    string? Extension,
    IReadOnlyList<string> Options,
    IReadOnlyDictionary<string, TablePrivileges> Privileges)
{
    public string QualifiedName => $"{Sql.Identifier(Schema)}.{Sql.Identifier(Name)}";

    /// <summary>For a view: the writes it passes through to the relation it reads (automatically updatable, or INSTEAD OF triggers).</summary>
    public TablePrivileges WritesThrough { get; init; }

    public bool IsTable => Kind is 'r' or 'p';

    public bool IsView => Kind is 'v' or 'm';

    public bool SecurityInvoker => Options.Any(o => o.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() is "security_invoker=true" or "security_invoker=on" or "security_invoker=1" or "security_invoker=yes");

    public TablePrivileges PrivilegesOf(string role) => Privileges.TryGetValue(role, out var p) ? p : TablePrivileges.None;
}

/// <summary>What one role may do to a relation by its grants (table or any column), before RLS.</summary>
[Flags]
public enum TablePrivileges
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
}

/// <summary>A row-level security policy as pg_policy holds it, with the API roles it applies to (directly, by membership, or through PUBLIC).</summary>
public sealed record CatalogPolicy(
    string Schema,
    string Table,
    string Name,
    char Command,
    bool Permissive,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> ApiRoles,
    string? Using,
    string? WithCheck)
{
    public string CommandName => Command switch
    {
        'r' => "SELECT",
        'a' => "INSERT",
        'w' => "UPDATE",
        'd' => "DELETE",
        _ => "ALL",
    };

    public bool Covers(char command) => Command == '*' || Command == command;

    public string Describe() =>
        $"policy \"{Name}\" {(Permissive ? "PERMISSIVE" : "RESTRICTIVE")} FOR {CommandName} TO {string.Join(", ", Roles)}" +
        (Using is null ? string.Empty : $" USING ({Using})") +
        (WithCheck is null ? string.Empty : $" WITH CHECK ({WithCheck})");
}

/// <summary>A function in a read schema, with the facts that decide whether the API can use its owner's rights.</summary>
public sealed record CatalogFunction(
    string Schema,
    string Name,
    string Arguments,
    string Owner,
    bool OwnerIsSuperuser,
    bool OwnerBypassesRls,
    bool SecurityDefiner,
    IReadOnlyList<string> Config,
    string ReturnType,
    string Language,
    string? Extension,
    IReadOnlyList<string> ExecutableBy)
{
    public string Signature => $"{Sql.Identifier(Schema)}.{Sql.Identifier(Name)}({Arguments})";

    /// <summary>Trigger and event-trigger functions cannot be called through the API (PostgreSQL refuses a direct call).</summary>
    public bool IsTrigger => ReturnType is "trigger" or "event_trigger";

    public string? SearchPath => Config.FirstOrDefault(c => c.StartsWith("search_path=", StringComparison.OrdinalIgnoreCase))?["search_path=".Length..];
}

public sealed record CatalogRole(string Name, bool Superuser, bool BypassRls);

public sealed record ViewDependency(string ViewSchema, string View, string Schema, string Relation)
{
    public string ViewName => $"{Sql.Identifier(ViewSchema)}.{Sql.Identifier(View)}";

    public string RelationName => $"{Schema}.{Relation}";
}

public sealed record StorageBucket(string Id, string Name, bool Public);

/// <summary>
/// A column an API role may write: per API role, the commands its column privileges allow ("a" INSERT, "w" UPDATE);
/// per BEFORE row trigger of the table whose function names the column, the commands it fires on.
/// </summary>
public sealed record CatalogColumn(string Schema, string Table, string Name, IReadOnlyDictionary<string, string> Writable, IReadOnlyDictionary<string, string> Triggers)
{
    public bool WritableBy(string role, char command) => Writable.TryGetValue(role, out var commands) && commands.Contains(command);

    /// <summary>The BEFORE row triggers that fire on the command and whose function names the column: they may reset or refuse it.</summary>
    public IEnumerable<string> TriggersOn(char command) => Triggers.Where(t => t.Value.Contains(command)).Select(t => t.Key);
}

/// <summary>SQL text helpers.</summary>
public static class Sql
{
    // The keywords quote_ident() quotes: PostgreSQL's reserved and type/function-name keywords (appendix C).
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both", "case", "cast",
        "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
        "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct",
        "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
        "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
        "primary", "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
        "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where",
        "window", "with",
    };

    /// <summary>An identifier quoted only where PostgreSQL needs it ("Tenant-A"."Order Items", public."user").</summary>
    public static string Identifier(string identifier) =>
        identifier.Length > 0 && !char.IsAsciiDigit(identifier[0]) && identifier.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && !Keywords.Contains(identifier)
            ? identifier
            : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
