using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5016 on a live database (read-only; the pull-request mode proves it by doing it): a table other tables' policies
/// trust as membership (they read it to decide who sees their rows) lets any signed-in user insert a row whose only
/// check is that it names the caller: <c>WITH CHECK (auth.uid() = user_id)</c>. Anyone then joins any tenant, and every
/// policy that trusts the table hands them its rows. One finding per such table; a table nothing trusts is no
/// membership and no finding.
/// </summary>
public static partial class MembershipAudit
{
    public const string Concern = "memberships";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        var tables = snapshot.Relations.Where(r => r.IsTable && r.RlsEnabled && r.Extension is null && snapshot.Exposed.Schemas.Contains(r.Schema)).ToList();
        foreach (var table in tables)
        {
            var trusting = snapshot.Policies
                .Where(p => (p.Schema, p.Table) != (table.Schema, table.Name) && (Reads(p.Using, table) || Reads(p.WithCheck, table)))
                .ToList();
            if (trusting.Count == 0)
            {
                continue;
            }

            var joins = snapshot.PoliciesOf(table)
                .Where(p => p.Permissive && p.Covers('a'))
                .Select(p => (Policy: p, Roles: p.ApiRoles.Where(r => r != "anon" && snapshot.Reaches(r, table.Schema) && table.PrivilegesOf(r).HasFlag(TablePrivileges.Insert)).ToList(),
                              Column: OnlyNamesCaller(p.WithCheck ?? (p.Command == '*' ? p.Using : null))))
                .Where(j => j.Roles.Count > 0 && j.Column is not null)
                .ToList();
            if (joins.Count == 0 || rules.Database.IntendedAccess.Any(i => i.Relation == $"{table.Schema}.{table.Name}" && i.Operations.Contains("insert")))
            {
                continue;
            }

            var (policy, roles, column) = joins[0];
            var trusted = trusting.Select(p => $"{Sql.Identifier(p.Schema)}.{Sql.Identifier(p.Table)}").Distinct().ToList();
            var evidence = new List<string> { policy.Describe() };
            evidence.AddRange(trusting.Select(p => $"trusts {table.QualifiedName}: {p.Describe()}"));
            findings.Add(new Finding(RuleIds.SelfGrantedMembership, Severity.Error, Concern, Subject.Table(table.QualifiedName), $"{database} (table {table.QualifiedName})",
                $"Policy \"{policy.Name}\" lets {string.Join(" and ", roles)} insert into {table.QualifiedName} any row whose {column} is the caller (it checks nothing else), and the policies of {string.Join(", ", trusted)} decide by {table.QualifiedName}: " +
                "any signed-in user makes themself a member of any tenant and reads what its members read. " +
                $"Fix: let only the tenant's owners or admins add members (WITH CHECK through a SECURITY DEFINER helper such as <tenant>_role(<tenant column>) IN ('owner', 'admin')), or add members through invitations a definer function checks; if anyone may join, declare it in database.intendedAccess.",
                evidence) { Policy = policy.Name });
        }

        return findings;
    }

    /// <summary>Whether a policy expression reads the table (FROM or JOIN it, schema-qualified or not).</summary>
    private static bool Reads(string? expression, CatalogRelation table) =>
        expression is not null && Regex.IsMatch(expression, $@"\b(FROM|JOIN)\s+({Regex.Escape(table.Schema)}\.|""{Regex.Escape(table.Schema)}""\.)?(""{Regex.Escape(table.Name)}""|{Regex.Escape(table.Name)})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The column the check compares with auth.uid() when that comparison is all it checks, else null.</summary>
    private static string? OnlyNamesCaller(string? check)
    {
        if (check is null)
        {
            return null;
        }

        var match = CallerComparison().Match(PolicyExpression.Normalize(check));
        return match.Success ? match.Groups["a"].Success ? match.Groups["a"].Value : match.Groups["b"].Value : null;
    }

    [GeneratedRegex(@"^(?:auth\.uid\(\)=(?<a>[a-z_][a-z0-9_]*)|(?<b>[a-z_][a-z0-9_]*)=auth\.uid\(\))$", RegexOptions.CultureInvariant)]
    private static partial Regex CallerComparison();
}
