using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database;

/// <summary>What the RLS audit found: one finding per table (and stale exemption), and the coverage.</summary>
public sealed record RlsAuditResult(IReadOnlyList<CatalogRelation> Tables, IReadOnlyList<Finding> Findings)
{
    public IReadOnlyList<CatalogRelation> Audited => Tables.Where(t => t.Extension is null).ToList();

    public int Covered => Audited.Count(t => t.RlsEnabled);

    public int Exempt => Findings.Count(f => f.Severity == Severity.Pass && f.ExemptBecause is not null);

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
/// change. Judged over the catalog snapshot.
/// </summary>
public sealed class RlsAudit
{
    public const string Concern = "rls";

    /// <summary>Reads the snapshot and judges it (for callers that audit this concern alone).</summary>
    public async Task<RlsAuditResult> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default) =>
        Judge(await CatalogReader.ReadAsync(session, rules, cancellationToken).ConfigureAwait(false), rules, session.Target.Display);

    public static RlsAuditResult Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var rls = rules.Database.Rls;

        // Partitioned parents (relkind 'p') are included: splinter's relkind = 'r' check misses them.
        var tables = snapshot.Relations.Where(r => r.IsTable && rls.Schemas.Contains(r.Schema)).ToList();
        var exemptions = rls.Exemptions.ToDictionary(e => e.Table, StringComparer.Ordinal);
        var findings = tables.Select(t => Judge(t, snapshot, exemptions, rls, database)).ToList();
        foreach (var exemption in rls.Exemptions.Where(e => !tables.Any(t => Names(t).Contains(e.Table))))
        {
            findings.Add(StaleExemption(exemption.Table, exemption.Reason, "database.rls.exemptions", $"audited schemas ({string.Join(", ", rls.Schemas)})"));
        }

        return new RlsAuditResult(tables, findings);
    }

    /// <summary>HD5005: an exemption that names nothing that exists would silently cover a future object of that name.</summary>
    public static Finding StaleExemption(string name, string reason, string rulesPath, string where) =>
        new(RuleIds.StaleExemption, Severity.Warning, Concern, $"exemption {name}", $"rules file: {rulesPath}",
            $"The rules exempt {name} ({rulesPath}), but nothing of that name exists in the {where}; remove the exemption so it cannot cover a future object of that name.",
            [$"reason given: {reason}"]);

    /// <summary>How rules may name a relation: schema.name as written, or quoted.</summary>
    public static string[] Names(CatalogRelation t) => [$"{t.Schema}.{t.Name}", t.QualifiedName];

    private static Finding Judge(CatalogRelation table, CatalogSnapshot snapshot, Dictionary<string, RlsExemption> exemptions, RlsRules rls, string database)
    {
        var policies = snapshot.PoliciesOf(table).Count();
        var kindName = table.Kind == 'p' ? "partitioned table" : table.Parent is not null ? "partition" : "table";
        var subject = Subject.Table(table.QualifiedName);
        var location = $"{database} ({kindName} {table.QualifiedName})";
        var evidence = new List<string>
        {
            $"relkind = '{table.Kind}' ({kindName})",
            $"relrowsecurity = {table.RlsEnabled.ToString().ToLowerInvariant()}",
            $"relforcerowsecurity = {table.RlsForced.ToString().ToLowerInvariant()}",
            $"policies = {policies}",
        };
        if (table.Parent is not null)
        {
            evidence.Add($"partition of {table.Parent}");
        }

        if (table.Extension is not null)
        {
            evidence.Add($"member of extension {table.Extension}");
            return new Finding(RuleIds.TableWithoutRls, Severity.Info, Concern, subject, location,
                $"{table.QualifiedName} is owned by extension '{table.Extension}' and left out of the RLS audit: the extension manages it, and its upgrades would undo changes.",
                evidence);
        }

        var exemption = Names(table).Select(n => exemptions.GetValueOrDefault(n)).FirstOrDefault(e => e is not null);
        if (exemption is not null && (!table.RlsEnabled || policies == 0))
        {
            evidence.Add($"exempt: {exemption.Reason}");
            var what = table.RlsEnabled ? "has RLS and no policy (deny-all for the API)" : "has no RLS";
            return new Finding(table.RlsEnabled ? RuleIds.RlsWithoutPolicy : RuleIds.TableWithoutRls, Severity.Pass, Concern, subject, location,
                $"{table.QualifiedName} {what} and is exempt by the rules: {exemption.Reason}", evidence) { ExemptBecause = exemption.Reason };
        }

        var partitionNote = table.Parent is not null
            ? $" It is a partition of {table.Parent}: a partition can be queried directly, which bypasses its parent's policies, so it needs RLS of its own."
            : string.Empty;

        if (!table.RlsEnabled && policies > 0)
        {
            return new Finding(RuleIds.PoliciesWithoutRls, Severity.Error, Concern, subject, location,
                $"{table.QualifiedName} has {policies} polic{(policies == 1 ? "y" : "ies")} but row-level security is disabled, so none of them applies.{partitionNote} Fix: ALTER TABLE {table.QualifiedName} ENABLE ROW LEVEL SECURITY;",
                evidence);
        }

        if (!table.RlsEnabled)
        {
            var readers = snapshot.ApiRoles.Where(r => snapshot.Reaches(r, table.Schema) && table.PrivilegesOf(r) != TablePrivileges.None).ToList();
            if (readers.Count > 0)
            {
                evidence.Add($"API roles with rights on it today: {string.Join(", ", readers.Select(r => $"{r} ({Describe(table.PrivilegesOf(r))})"))}");
            }

            return new Finding(RuleIds.TableWithoutRls, Severity.Error, Concern, subject, location,
                $"{char.ToUpperInvariant(kindName[0])}{kindName[1..]} {table.QualifiedName} does not have row-level security enabled: every role with table rights reads every row.{partitionNote} Fix: ALTER TABLE {table.QualifiedName} ENABLE ROW LEVEL SECURITY; then add policies (CREATE POLICY ...).",
                evidence);
        }

        if (policies == 0)
        {
            var severity = rls.NoPolicySeverity switch
            {
                "error" => Severity.Error,
                "info" => Severity.Info,
                _ => Severity.Warning,
            };
            var stillRead = StillReadBy(table, snapshot);
            evidence.Add($"still read by: {string.Join(", ", stillRead)}");
            return new Finding(RuleIds.RlsWithoutPolicy, severity, Concern, subject, location,
                $"{table.QualifiedName} has row-level security enabled but no policy, so it denies every row to every role RLS applies to{(snapshot.ApiRoles.Count > 0 ? $" (the API roles {string.Join(", ", snapshot.ApiRoles)} among them)" : string.Empty)}, while {string.Join(", ", stillRead)} still read every row past RLS. " +
                $"If the API is meant to be locked out, say so in the rules (database.rls.exemptions, with the reason); otherwise add CREATE POLICY ... ON {table.QualifiedName}.",
                evidence);
        }

        return new Finding(RuleIds.TableWithoutRls, Severity.Pass, Concern, subject, location,
            $"{table.QualifiedName} has row-level security enabled with {policies} polic{(policies == 1 ? "y" : "ies")}.", evidence);
    }

    /// <summary>Who reads a table whatever its policies: its owner (unless RLS is forced), superusers, and BYPASSRLS roles with SELECT.</summary>
    private static List<string> StillReadBy(CatalogRelation table, CatalogSnapshot snapshot)
    {
        var readers = new List<string>();
        if (!table.RlsForced)
        {
            readers.Add($"its owner {table.Owner}");
        }

        var superusers = snapshot.RlsBypassingRoles.Where(r => r.Superuser).Select(r => r.Name).ToList();
        if (superusers.Count > 0)
        {
            readers.Add($"superusers ({string.Join(", ", superusers)})");
        }

        var bypassing = snapshot.RlsBypassingRoles
            .Where(r => !r.Superuser && r.BypassRls && table.PrivilegesOf(r.Name).HasFlag(TablePrivileges.Select))
            .Select(r => r.Name).ToList();
        if (bypassing.Count > 0)
        {
            readers.Add($"BYPASSRLS roles with SELECT ({string.Join(", ", bypassing)})");
        }

        return readers;
    }

    public static string Describe(TablePrivileges privileges) =>
        privileges == TablePrivileges.None
            ? "no rights"
            : string.Join(", ", new[] { TablePrivileges.Select, TablePrivileges.Insert, TablePrivileges.Update, TablePrivileges.Delete }
                .Where(p => privileges.HasFlag(p)).Select(p => p.ToString().ToUpperInvariant()));
}
