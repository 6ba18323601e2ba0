using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5006 and HD5007: what the policies of each API-reachable table let an API role do. RLS enabled is
/// not protection when a policy is always true for the role (HD5006), or when it decides by data the
/// user can edit about themselves (HD5007). One subject per table; judged with PostgreSQL's own
/// semantics: a permissive policy without USING admits no row, an INSERT policy without WITH CHECK
/// admits no row, UPDATE falls back to USING when WITH CHECK is absent, and a restrictive policy that
/// is not always true narrows every permissive one.
/// </summary>
public static class PolicyAudit
{
    public const string Concern = "policies";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        var publicRead = rules.Database.Rls.PublicRead.ToDictionary(e => e.Table, StringComparer.Ordinal);
        var tables = snapshot.Relations
            .Where(r => r.IsTable && r.RlsEnabled && r.Extension is null && snapshot.Exposed.Schemas.Contains(r.Schema))
            .ToList();
        foreach (var table in tables)
        {
            var subject = $"table {table.QualifiedName}";
            var location = $"{database} (table {table.QualifiedName})";
            var policies = snapshot.PoliciesOf(table).ToList();
            var before = findings.Count;
            foreach (var policy in policies.Where(p => p.Permissive))
            {
                var finding = AlwaysTrue(table, policy, policies, snapshot, publicRead, subject, location);
                if (finding is not null)
                {
                    findings.Add(finding);
                }
            }

            foreach (var policy in policies.Where(p => p.ApiRoles.Count > 0))
            {
                var claim = PolicyExpression.Mentions(policy.Using, rules.Database.UserEditableClaims)
                            ?? PolicyExpression.Mentions(policy.WithCheck, rules.Database.UserEditableClaims);
                if (claim is not null)
                {
                    findings.Add(new Finding(AuditRules.PolicyTrustsUserMetadata, Severity.Error, Concern, subject, location,
                        $"Policy \"{policy.Name}\" on {table.QualifiedName} decides by '{claim}', which every user can edit about themselves (supabase.auth.updateUser({{ data }})): " +
                        $"any {string.Join(" or ", policy.ApiRoles)} caller can grant themselves what this policy checks. " +
                        "Fix: decide by app_metadata (raw_app_meta_data, which only the service role can change) or by a table the user cannot write.",
                        [policy.Describe(), $"applies to API roles: {string.Join(", ", policy.ApiRoles)}"]));
                }
            }

            if (findings.Count == before)
            {
                findings.Add(new Finding(AuditRules.AlwaysTruePolicy, Severity.Pass, Concern, subject, location,
                    policies.Count == 0
                        ? $"{table.QualifiedName} has no policy: the API roles reach no row."
                        : $"No policy on {table.QualifiedName} is always true for an API role, and none trusts user-editable data.",
                    policies.Select(p => p.Describe()).ToList()));
            }
        }

        return findings;
    }

    private static Finding? AlwaysTrue(
        CatalogRelation table, CatalogPolicy policy, IReadOnlyList<CatalogPolicy> policies, CatalogSnapshot snapshot,
        Dictionary<string, RlsExemption> publicRead, string subject, string location)
    {
        var granted = new List<string>();
        var latent = new List<string>();
        var narrowed = new List<string>();
        var evidence = new List<string> { policy.Describe() };
        string? readReason = null;
        foreach (var role in policy.ApiRoles.Where(r => snapshot.Reaches(r, table.Schema)))
        {
            var privileges = table.PrivilegesOf(role);
            foreach (var (command, privilege, verb) in Operations)
            {
                if (!policy.Covers(command) || !AdmitsEveryRow(policy, command, role))
                {
                    continue;
                }

                if (command == 'r')
                {
                    // Reading everything is often the point (a public catalogue); it is a finding only for
                    // anon, only where the rules do not say the table is public.
                    if (role != "anon")
                    {
                        continue;
                    }

                    var declared = RlsAudit.Names(table).Select(n => publicRead.GetValueOrDefault(n)).FirstOrDefault(e => e is not null);
                    if (declared is not null)
                    {
                        readReason = declared.Reason;
                        continue;
                    }
                }

                var restriction = policies.FirstOrDefault(p => !p.Permissive && p.Covers(command) && p.ApiRoles.Contains(role) && !AdmitsEveryRow(p, command, role));
                var what = $"{role} {verb}";
                if (restriction is not null)
                {
                    narrowed.Add($"{what} (narrowed by restrictive policy \"{restriction.Name}\")");
                }
                else if (privileges.HasFlag(privilege))
                {
                    granted.Add(what);
                }
                else
                {
                    latent.Add(what);
                }
            }

            evidence.Add($"{role}: grants {RlsAudit.Describe(privileges)}");
        }

        if (readReason is not null)
        {
            evidence.Add($"public read declared in the rules: {readReason}");
        }

        if (granted.Count == 0 && latent.Count == 0)
        {
            return null;
        }

        evidence.AddRange(narrowed.Select(n => "not a finding: " + n));
        var severity = granted.Count > 0 ? Severity.Error : Severity.Warning;
        var effect = granted.Count > 0
            ? $"lets {string.Join("; ", granted)}"
            : $"would let {string.Join("; ", latent)} (no grant allows it today, so it is latent: one GRANT away)";
        var usingText = policy.Using is null ? "no USING" : $"USING ({policy.Using})";
        var checkText = policy.WithCheck is null ? (policy.Command is 'w' or '*' ? "WITH CHECK falls back to USING" : "no WITH CHECK") : $"WITH CHECK ({policy.WithCheck})";
        return new Finding(AuditRules.AlwaysTruePolicy, severity, Concern, subject, location,
            $"Policy \"{policy.Name}\" on {table.QualifiedName} is always true ({usingText}; {checkText}): it {effect}. " +
            $"Fix: tie it to the caller, e.g. USING ((select auth.uid()) = <owner column>) WITH CHECK ((select auth.uid()) = <owner column>), limit it to the commands meant (FOR SELECT), " +
            $"or, for a table anyone may read, declare it in database.rls.publicRead with the reason.",
            evidence);
    }

    private static readonly (char Command, TablePrivileges Privilege, string Verb)[] Operations =
    [
        ('r', TablePrivileges.Select, "read every row"),
        ('a', TablePrivileges.Insert, "insert any row (any owner)"),
        ('w', TablePrivileges.Update, "update every row"),
        ('d', TablePrivileges.Delete, "delete every row"),
    ];

    /// <summary>Whether the policy admits every row for this command when the request runs as the role.</summary>
    private static bool AdmitsEveryRow(CatalogPolicy policy, char command, string role) => command switch
    {
        // Rows an INSERT may write: WITH CHECK, or for FOR ALL without it, USING. No expression: none.
        'a' => PolicyExpression.IsAlwaysTrueFor(policy.WithCheck ?? (policy.Command == '*' ? policy.Using : null), role),
        // Rows SELECT sees, UPDATE and DELETE reach: USING. A permissive policy without USING adds none.
        _ => PolicyExpression.IsAlwaysTrueFor(policy.Using, role),
    };
}
