using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using NpgsqlTypes;

namespace HotDash.Compliance.Audit.Database;

/// <summary>A table the RLS audit saw, as the catalog describes it.</summary>
public sealed record AuditedTable(
    string Schema,
    string Name,
    char Kind,
    bool RlsEnabled,
    bool RlsForced,
    int Policies,
    string? Parent,
    string? Extension)
{
    /// <summary>schema.name, quoted as PostgreSQL needs it ("Tenant-A"."Order Items").</summary>
    public string QualifiedName => $"{QuoteIdentifier(Schema)}.{QuoteIdentifier(Name)}";

    public string KindName => Kind switch
    {
        'p' => "partitioned table",
        _ when Parent is not null => "partition",
        _ => "table",
    };

    public static string QuoteIdentifier(string identifier) =>
        identifier.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && identifier.Length > 0 && !char.IsAsciiDigit(identifier[0])
            ? identifier
            : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>What the RLS audit found: one finding per table (and stale exemption), and the coverage.</summary>
public sealed record RlsAuditResult(IReadOnlyList<AuditedTable> Tables, IReadOnlyList<Finding> Findings)
{
    public IReadOnlyList<AuditedTable> Audited => Tables.Where(t => t.Extension is null).ToList();

    public int Covered => Audited.Count(t => t.RlsEnabled);

    public int Exempt => Findings.Count(f => f.RuleId == AuditRules.TableWithoutRls && f.Severity == Severity.Pass && f.Evidence.Any(e => e.StartsWith("exempt:", StringComparison.Ordinal)));

    public string Summary
    {
        get
        {
            var total = Audited.Count;
            var percent = total == 0 ? 100 : (int)Math.Round(100.0 * Covered / total, MidpointRounding.AwayFromZero);
            var summary = $"RLS coverage: {Covered}/{total} tables ({percent}%)";
            if (Exempt > 0)
            {
                summary += $", {Exempt} exempt with a reason";
            }

            var extensionOwned = Tables.Count - total;
            return extensionOwned > 0 ? summary + $"; {extensionOwned} extension-owned left out" : summary;
        }
    }
}

/// <summary>
/// HD5001-HD5003 and HD5005: every ordinary table, partitioned parent and partition in the audited
/// schemas has row-level security enabled, and policies; whatever today's grants are, because grants
/// change. One catalog query, whatever the number of tables.
/// </summary>
public sealed class RlsAudit
{
    public const string Concern = "rls";

    // Partitioned parents (relkind 'p') are included: splinter's relkind = 'r' check misses them.
    // Partitions are ordinary tables with relispartition; their parent is named in the finding.
    private const string TablesQuery = """
        SELECT n.nspname, c.relname, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)::int AS policies,
               CASE WHEN c.relispartition THEN
                 (SELECT pn.nspname || '.' || pc.relname
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                   WHERE i.inhrelid = c.oid LIMIT 1)
               END AS parent,
               (SELECT e.extname
                  FROM pg_catalog.pg_depend d
                  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' LIMIT 1) AS extension
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(@schemas)
         ORDER BY n.nspname, c.relname
        """;

    public async Task<RlsAuditResult> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var rls = rules.Database.Rls;
        var tables = await session.QueryAsync(
            TablesQuery,
            p => p.AddWithValue("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, rls.Schemas.ToArray()),
            r => new AuditedTable(
                r.GetString(0), r.GetString(1), r.GetString(2)[0], r.GetBoolean(3), r.GetBoolean(4), r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)),
            cancellationToken).ConfigureAwait(false);

        var exemptions = rls.Exemptions.ToDictionary(e => e.Table, StringComparer.Ordinal);
        var location = session.Target.Display;
        var findings = new List<Finding>();
        foreach (var table in tables)
        {
            findings.Add(Judge(table, exemptions, rls, location));
        }

        foreach (var exemption in rls.Exemptions)
        {
            if (!tables.Any(t => Names(t).Contains(exemption.Table)))
            {
                findings.Add(new Finding(
                    AuditRules.StaleExemption, Severity.Warning, Concern, $"exemption {exemption.Table}", "rules file: database.rls.exemptions",
                    $"The rules exempt {exemption.Table} from RLS, but no such table exists in the audited schemas ({string.Join(", ", rls.Schemas)}); remove the exemption so it cannot cover a future table of that name.",
                    [$"reason given: {exemption.Reason}"]));
            }
        }

        return new RlsAuditResult(tables, findings);
    }

    /// <summary>How an exemption may name a table: schema.name as written, or quoted.</summary>
    private static string[] Names(AuditedTable t) => [$"{t.Schema}.{t.Name}", t.QualifiedName];

    private static Finding Judge(AuditedTable table, Dictionary<string, RlsExemption> exemptions, RlsRules rls, string database)
    {
        var subject = $"table {table.QualifiedName}";
        var location = $"{database} ({table.KindName} {table.QualifiedName})";
        var evidence = new List<string>
        {
            $"relkind = '{table.Kind}' ({table.KindName})",
            $"relrowsecurity = {table.RlsEnabled.ToString().ToLowerInvariant()}",
            $"relforcerowsecurity = {table.RlsForced.ToString().ToLowerInvariant()}",
            $"policies = {table.Policies}",
        };
        if (table.Parent is not null)
        {
            evidence.Add($"partition of {table.Parent}");
        }

        if (table.Extension is not null)
        {
            evidence.Add($"member of extension {table.Extension}");
            return new Finding(AuditRules.TableWithoutRls, Severity.Info, Concern, subject, location,
                $"{table.QualifiedName} is owned by extension '{table.Extension}' and left out of the RLS audit: the extension manages it, and its upgrades would undo changes.",
                evidence);
        }

        var exemption = Names(table).Select(n => exemptions.GetValueOrDefault(n)).FirstOrDefault(e => e is not null);
        if (!table.RlsEnabled && exemption is not null)
        {
            evidence.Add($"exempt: {exemption.Reason}");
            return new Finding(AuditRules.TableWithoutRls, Severity.Pass, Concern, subject, location,
                $"{table.QualifiedName} has no RLS and is exempt by the rules: {exemption.Reason}", evidence);
        }

        var partitionNote = table.Parent is not null
            ? $" It is a partition of {table.Parent}: a partition can be queried directly, which bypasses its parent's policies, so it needs RLS of its own."
            : string.Empty;

        if (!table.RlsEnabled && table.Policies > 0)
        {
            return new Finding(AuditRules.PoliciesWithoutRls, Severity.Error, Concern, subject, location,
                $"{table.QualifiedName} has {table.Policies} polic{(table.Policies == 1 ? "y" : "ies")} but row-level security is disabled, so none of them applies.{partitionNote} Fix: ALTER TABLE {table.QualifiedName} ENABLE ROW LEVEL SECURITY;",
                evidence);
        }

        if (!table.RlsEnabled)
        {
            return new Finding(AuditRules.TableWithoutRls, Severity.Error, Concern, subject, location,
                $"{char.ToUpperInvariant(table.KindName[0])}{table.KindName[1..]} {table.QualifiedName} does not have row-level security enabled: every role with table rights reads every row.{partitionNote} Fix: ALTER TABLE {table.QualifiedName} ENABLE ROW LEVEL SECURITY; then add policies (CREATE POLICY ...).",
                evidence);
        }

        if (table.Policies == 0)
        {
            var severity = rls.NoPolicySeverity switch
            {
                "error" => Severity.Error,
                "info" => Severity.Info,
                _ => Severity.Warning,
            };
            return new Finding(AuditRules.RlsWithoutPolicy, severity, Concern, subject, location,
                $"{table.QualifiedName} has row-level security enabled but no policy, so it denies every row to every role but its owner and superusers. If that is intended, say so with a policy; otherwise add CREATE POLICY ... ON {table.QualifiedName}.",
                evidence);
        }

        return new Finding(AuditRules.TableWithoutRls, Severity.Pass, Concern, subject, location,
            $"{table.QualifiedName} has row-level security enabled with {table.Policies} polic{(table.Policies == 1 ? "y" : "ies")}.", evidence);
    }
}
