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
        var tables = snapshot.Relations
            .Where(r => r.IsTable && r.RlsEnabled && r.Extension is null && snapshot.Exposed.Schemas.Contains(r.Schema))
            .ToList();
        foreach (var table in tables)
        {
            var subject = Subject.Table(table.QualifiedName);
            var location = $"{database} (table {table.QualifiedName})";
            var policies = snapshot.PoliciesOf(table).ToList();
            var before = findings.Count;
            var accesses = Accesses(table, snapshot, rules).ToList();
            foreach (var policy in policies.Where(p => p.Permissive))
            {
                var finding = AlwaysTrue(table, policy, accesses, snapshot, rules, subject, location);
                if (finding is not null)
                {
                    findings.Add(finding);
                }
            }

            findings.AddRange(UncheckedUpdates(table, policies, snapshot, subject, location, findings.Skip(before).Select(f => f.Policy).ToHashSet()));
            findings.AddRange(TrustsCaller(table, policies, rules, subject, location));

            if (findings.Count == before)
            {
                findings.Add(new Finding(RuleIds.AlwaysTruePolicy, Severity.Pass, Concern, subject, location,
                    policies.Count == 0
                        ? $"{table.QualifiedName} has no policy: the API roles reach no row."
                        : $"No policy on {table.QualifiedName} is always true for an API role, and none trusts user-editable or caller-set data.",
                    policies.Select(p => p.Describe()).ToList()));
            }
        }

        // A policy on a table whose RLS is off decides nothing today (HD5003 says so), and decides by what it reads the
        // day RLS is turned on: its trust in the caller is judged all the same.
        foreach (var table in snapshot.Relations.Where(r => r.IsTable && !r.RlsEnabled && r.Extension is null && snapshot.Exposed.Schemas.Contains(r.Schema)))
        {
            findings.AddRange(TrustsCaller(table, snapshot.PoliciesOf(table).ToList(), rules, Subject.Table(table.QualifiedName), $"{database} (table {table.QualifiedName})"));
        }

        // A declared intent names a relation or function that is not there (renamed, dropped, mistyped): it covers nothing.
        foreach (var intent in rules.Database.IntendedAccess.Where(i =>
                     !snapshot.Relations.Any(r => $"{r.Schema}.{r.Name}" == i.Relation) && !snapshot.Functions.Any(f => $"{f.Schema}.{f.Name}" == i.Relation)))
        {
            findings.Add(RlsAudit.StaleExemption(intent.Relation, intent.Reason, "database.intendedAccess", "schemas read by the audit"));
        }

        return findings;
    }

    /// <summary>
    /// HD5006 for UPDATE: a policy whose USING ties the rows to the caller but whose WITH CHECK is always true checks
    /// nothing about the row the UPDATE writes, so the caller may set any column of their own rows, the owner column
    /// included: hand a row to another user, or forge one in their name. (PostgreSQL checks the new row against WITH
    /// CHECK only; without one it falls back to USING, which is safe.) Policies already reported always true are not
    /// reported twice.
    /// </summary>
    private static IEnumerable<Finding> UncheckedUpdates(CatalogRelation table, IReadOnlyList<CatalogPolicy> policies, CatalogSnapshot snapshot, Subject subject, string location, IReadOnlySet<string?> reported)
    {
        // Without USING a permissive UPDATE policy reaches no row: there is no row of the caller's to rewrite.
        foreach (var policy in policies.Where(p => p.Permissive && p.Covers('w') && p.Using is not null && p.WithCheck is not null && !reported.Contains(p.Name)))
        {
            var roles = policy.ApiRoles
                .Where(r => snapshot.Reaches(r, table.Schema) && PolicyExpression.IsAlwaysTrueFor(policy.WithCheck, r) && !PolicyExpression.IsAlwaysTrueFor(policy.Using, r))
                .Where(r => !policies.Any(p => !p.Permissive && p.Covers('w') && p.ApiRoles.Contains(r) && !PolicyExpression.IsAlwaysTrueFor(p.WithCheck ?? p.Using, r)))
                .ToList();
            if (roles.Count == 0)
            {
                continue;
            }

            var granted = roles.Where(r => table.PrivilegesOf(r).HasFlag(TablePrivileges.Update)).ToList();
            var evidence = new List<string> { policy.Describe() };
            evidence.AddRange(roles.Select(r => $"{r}: grants {RlsAudit.Describe(table.PrivilegesOf(r))}"));
            var who = string.Join(" and ", granted.Count > 0 ? granted : roles);
            yield return new Finding(RuleIds.AlwaysTruePolicy, granted.Count > 0 ? Severity.Error : Severity.Warning, Concern, subject, location,
                $"Policy \"{policy.Name}\" on {table.QualifiedName} {(granted.Count > 0 ? "lets" : "would let (no grant allows UPDATE today: one GRANT away)")} {who} update their rows (USING {Parenthesized(policy.Using!)}) to any values: " +
                "WITH CHECK (true) checks nothing about the new row, so a caller can hand their row to another user (SET <owner column> = someone else's id) or forge any column. " +
                "Fix: WITH CHECK the same condition as USING, e.g. WITH CHECK ((select auth.uid()) = <owner column>), or drop the WITH CHECK (it then falls back to USING).",
                evidence) { Policy = policy.Name };
        }
    }

    private static string Parenthesized(string expression) =>
        expression.StartsWith('(') && expression.EndsWith(')') ? expression : $"({expression})";

    /// <summary>
    /// HD5007: policies that decide by data the caller controls. user_metadata (and raw_user_meta_data) is data every
    /// user edits about themselves; request.headers and request.cookies are whatever the HTTP request carries. Read at
    /// the top of the expression (compared with the row's own columns, or with a constant every client ships), any
    /// caller chooses the answer: an error. Read inside a subquery, the value is matched against data the caller does
    /// not write (a token table): a capability that holds only while the value stays secret, a warning.
    /// </summary>
    private static IEnumerable<Finding> TrustsCaller(CatalogRelation table, IReadOnlyList<CatalogPolicy> policies, RulesDocument rules, Subject subject, string location)
    {
        var rlsOff = table.RlsEnabled ? [] : new[] { $"RLS is DISABLED on {table.QualifiedName}: the policy applies as soon as it is enabled (HD5003)" };
        foreach (var policy in policies.Where(p => p.ApiRoles.Count > 0))
        {
            var evidence = new List<string> { policy.Describe(), $"applies to API roles: {string.Join(", ", policy.ApiRoles)}" };
            evidence.AddRange(rlsOff);
            var claim = PolicyExpression.Mentions(policy.Using, rules.Database.UserEditableClaims)
                        ?? PolicyExpression.Mentions(policy.WithCheck, rules.Database.UserEditableClaims);
            if (claim is not null)
            {
                yield return new Finding(RuleIds.PolicyTrustsUserMetadata, Severity.Error, Concern, subject, location,
                    $"Policy \"{policy.Name}\" on {table.QualifiedName} decides by '{claim}', which every user can edit about themselves (supabase.auth.updateUser({{ data }})): " +
                    $"any {string.Join(" or ", policy.ApiRoles)} caller can grant themselves what this policy checks. " +
                    "Fix: decide by app_metadata (raw_app_meta_data, which only the service role can change) or by a table the user cannot write.",
                    evidence);
                continue;
            }

            var setting = PolicyExpression.Mentions(policy.Using, rules.Database.CallerSetSettings)
                          ?? PolicyExpression.Mentions(policy.WithCheck, rules.Database.CallerSetSettings);
            if (setting is null)
            {
                continue;
            }

            var what = setting.Contains("cookie", System.StringComparison.OrdinalIgnoreCase) ? "a cookie" : "a request header";
            var inSubquery = PolicyExpression.ReadsOnlyInSubqueries(policy.Using, setting) && PolicyExpression.ReadsOnlyInSubqueries(policy.WithCheck, setting);
            yield return inSubquery
                ? new Finding(RuleIds.PolicyTrustsUserMetadata, Severity.Warning, Concern, subject, location,
                    $"Policy \"{policy.Name}\" on {table.QualifiedName} matches {what} ('{setting}', set by whoever sends the request) against other data: it holds only while that value is a secret the caller cannot guess or copy. " +
                    "If it is a capability token, keep it unguessable, expiring and out of URLs; if it names a user, tenant or record, decide by auth.uid() or auth.jwt() ->> 'app_metadata' instead.",
                    evidence)
                : new Finding(RuleIds.PolicyTrustsUserMetadata, Severity.Error, Concern, subject, location,
                    $"Policy \"{policy.Name}\" on {table.QualifiedName} decides by {what} ('{setting}'), which the caller sets to anything: any {string.Join(" or ", policy.ApiRoles)} caller who sends the value this policy expects gets what it allows (a tenant or profile id from a header isolates nothing). " +
                    "Fix: decide by who the caller is, auth.uid() or a claim only the server sets (auth.jwt() -> 'app_metadata'), or by a table the caller cannot write.",
                    evidence);
        }
    }

    /// <summary>How one always-true policy reaches one API role for one command.</summary>
    public enum Reach
    {
        /// <summary>The role's grants allow the command: the role can do it today.</summary>
        Granted,

        /// <summary>No grant allows it yet: one GRANT away.</summary>
        Latent,

        /// <summary>A restrictive policy that is not always true narrows it.</summary>
        Narrowed,
    }

    /// <summary>An always-true permissive policy, the API role it admits every row to, and for which command.</summary>
    public sealed record PolicyAccess(CatalogPolicy Policy, string Role, char Command, Reach Reach, string? NarrowedBy);

    /// <summary>
    /// Every (policy, API role, command) on the table where a permissive policy admits every row to a role that
    /// reaches the table; a SELECT counts only for anon, and only where the rules do not declare the table public.
    /// Shared by the verdict (HD5006) and by the proofs on a disposable database.
    /// </summary>
    public static IEnumerable<PolicyAccess> Accesses(CatalogRelation table, CatalogSnapshot snapshot, RulesDocument rules)
    {
        var policies = snapshot.PoliciesOf(table).ToList();
        var declaredPublic = PublicReadReason(table, rules) is not null;
        foreach (var policy in policies.Where(p => p.Permissive))
        {
            foreach (var role in policy.ApiRoles.Where(r => snapshot.Reaches(r, table.Schema)))
            {
                foreach (var (command, privilege, _) in Operations)
                {
                    if (!policy.Covers(command) || !AdmitsEveryRow(policy, command, role) || (command == 'r' && (role != "anon" || declaredPublic)))
                    {
                        continue;
                    }

                    var restriction = policies.FirstOrDefault(p => !p.Permissive && p.Covers(command) && p.ApiRoles.Contains(role) && !AdmitsEveryRow(p, command, role));
                    var reach = restriction is not null ? Reach.Narrowed : table.PrivilegesOf(role).HasFlag(privilege) ? Reach.Granted : Reach.Latent;
                    yield return new PolicyAccess(policy, role, command, reach, restriction?.Name);
                }
            }
        }
    }

    public static string Verb(char command) => Operations.First(o => o.Command == command).Verb;

    /// <summary>The reason database.intendedAccess gives for this access (the role may do this command to every row), or null.</summary>
    private static string? IntendedReason(CatalogRelation table, PolicyAccess access, RulesDocument rules) =>
        rules.Database.IntendedAccess.FirstOrDefault(i => i.Covers(table.Schema, table.Name, access.Role, access.Command switch { 'r' => "read", 'a' => "insert", 'w' => "update", _ => "delete" }))?.Reason;

    private static string? PublicReadReason(CatalogRelation table, RulesDocument rules) =>
        rules.Database.Rls.PublicRead.FirstOrDefault(e => RlsAudit.Names(table).Contains(e.Table))?.Reason;

    private static Finding? AlwaysTrue(CatalogRelation table, CatalogPolicy policy, IReadOnlyList<PolicyAccess> accesses, CatalogSnapshot snapshot, RulesDocument rules, Subject subject, string location)
    {
        var all = accesses.Where(a => a.Policy == policy).ToList();
        var intended = all.Where(a => a.Reach != Reach.Narrowed && IntendedReason(table, a, rules) is not null).ToList();
        var mine = all.Except(intended).ToList();
        var granted = mine.Where(a => a.Reach == Reach.Granted).Select(a => $"{a.Role} {Verb(a.Command)}").ToList();
        var latent = mine.Where(a => a.Reach == Reach.Latent).Select(a => $"{a.Role} {Verb(a.Command)}").ToList();
        if (granted.Count == 0 && latent.Count == 0)
        {
            if (intended.Count == 0)
            {
                return null;
            }

            var reasons = intended.Select(a => IntendedReason(table, a, rules)!).Distinct().ToList();
            return new Finding(RuleIds.AlwaysTruePolicy, Severity.Pass, Concern, subject, location,
                $"Policy \"{policy.Name}\" on {table.QualifiedName} is always true, and what it lets the API roles do is declared intended ({string.Join("; ", intended.Select(a => $"{a.Role} {Verb(a.Command)}"))}): {string.Join("; ", reasons)}.",
                [policy.Describe(), .. reasons.Select(r => $"intended by database.intendedAccess: {r}")]) { Policy = policy.Name, ExemptBecause = string.Join("; ", reasons) };
        }

        var evidence = new List<string> { policy.Describe() };
        evidence.AddRange(policy.ApiRoles.Where(r => snapshot.Reaches(r, table.Schema)).Select(r => $"{r}: grants {RlsAudit.Describe(table.PrivilegesOf(r))}"));
        if (PublicReadReason(table, rules) is { } reason)
        {
            evidence.Add($"public read declared in the rules: {reason}");
        }

        evidence.AddRange(mine.Where(a => a.Reach == Reach.Narrowed).Select(a => $"not a finding: {a.Role} {Verb(a.Command)} (narrowed by restrictive policy \"{a.NarrowedBy}\")"));
        evidence.AddRange(intended.Select(a => $"not a finding: {a.Role} {Verb(a.Command)} (intended by database.intendedAccess: {IntendedReason(table, a, rules)})"));
        var severity = granted.Count > 0 ? Severity.Error : Severity.Warning;
        var effect = granted.Count > 0
            ? $"lets {string.Join("; ", granted)}"
            : $"would let {string.Join("; ", latent)} (no grant allows it today, so it is latent: one GRANT away)";
        var usingText = policy.Using is null ? "no USING" : $"USING ({policy.Using})";
        var checkText = policy.WithCheck is null ? (policy.Command is 'w' or '*' ? "WITH CHECK falls back to USING" : "no WITH CHECK") : $"WITH CHECK ({policy.WithCheck})";
        return new Finding(RuleIds.AlwaysTruePolicy, severity, Concern, subject, location,
            $"Policy \"{policy.Name}\" on {table.QualifiedName} is always true ({usingText}; {checkText}): it {effect}. " +
            $"Fix: tie it to the caller, e.g. USING ((select auth.uid()) = <owner column>) WITH CHECK ((select auth.uid()) = <owner column>), limit it to the commands meant (FOR SELECT), " +
            $"or, for a table anyone may read, declare it in database.rls.publicRead with the reason.",
            evidence) { Policy = policy.Name };
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
