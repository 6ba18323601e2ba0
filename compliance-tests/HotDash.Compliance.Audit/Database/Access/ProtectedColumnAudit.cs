using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5014: an API role can write a column only the server should write (database.protectedColumns: role, is_admin,
/// plan, credits, points, and status/approved on payment- and approval-like tables) of the rows its policies admit.
/// The commonest exploitable mistake of owner-scoped policies: FOR UPDATE USING (auth.uid() = user_id) with no column
/// restriction lets a user set their own points, plan or role. Judged per column with PostgreSQL's own column
/// privileges, the policies' new-row checks (WITH CHECK, else USING), restrictive policies that name the column, and
/// BEFORE row triggers whose function names it (they may reset or refuse the value: a warning, not an error).
/// One subject per table.
/// </summary>
public static class ProtectedColumnAudit
{
    public const string Concern = "protected-columns";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        if (rules.Database.ProtectedColumns.Count == 0)
        {
            return findings;
        }

        foreach (var columns in snapshot.WritableColumns.Where(c => snapshot.Exposed.Schemas.Contains(c.Schema)).GroupBy(c => (c.Schema, c.Table)))
        {
            if (snapshot.FindRelation(columns.Key.Schema, columns.Key.Table) is not { Extension: null } table)
            {
                continue;
            }

            var guarded = columns.Select(c => (Column: c, Rule: rules.Database.ProtectedColumns.FirstOrDefault(r => r.Matches(c.Table, c.Name))))
                .Where(c => c.Rule is not null)
                .ToList();
            if (guarded.Count == 0)
            {
                continue;
            }

            var policies = snapshot.PoliciesOf(table).ToList();
            var subject = Subject.Table(table.QualifiedName);
            var location = $"{database} (table {table.QualifiedName})";
            var paths = new List<(string Column, string Reason, string Role, char Command, CatalogPolicy Policy, IReadOnlyList<string> Triggers)>();
            foreach (var (column, rule) in guarded)
            {
                foreach (var role in snapshot.ApiRoles.Where(r => snapshot.Reaches(r, table.Schema)))
                {
                    foreach (var command in new[] { 'w', 'a' })
                    {
                        if (!column.WritableBy(role, command)
                            || policies.Any(p => !p.Permissive && p.Covers(command) && p.ApiRoles.Contains(role) && Names(NewRowCheck(p, command), column.Name)))
                        {
                            continue;
                        }

                        var triggers = column.TriggersOn(command).ToList();
                        paths.AddRange(policies
                            .Where(p => p.Permissive && p.Covers(command) && p.ApiRoles.Contains(role) && AdmitsRows(p, command, role) && !Names(NewRowCheck(p, command), column.Name))
                            .Select(p => (column.Name, rule!.Reason, role, command, p, (IReadOnlyList<string>)triggers)));
                    }
                }
            }

            if (paths.Count == 0)
            {
                findings.Add(new Finding(RuleIds.ProtectedColumnWritable, Severity.Pass, Concern, subject, location,
                    $"No policy on {table.QualifiedName} lets an API role write its protected columns ({string.Join(", ", guarded.Select(g => g.Column.Name).Distinct())}).",
                    policies.Select(p => p.Describe()).ToList()));
                continue;
            }

            var unguarded = paths.Where(p => p.Triggers.Count == 0).ToList();
            var shown = unguarded.Count > 0 ? unguarded : paths;
            var columnNames = shown.Select(p => p.Column).Distinct().ToList();
            var roles = shown.Select(p => p.Role).Distinct().ToList();
            var via = shown.Select(p => $"{(p.Command == 'w' ? "UPDATE" : "INSERT")} through policy \"{p.Policy.Name}\"").Distinct();
            var evidence = shown.Select(p => $"{p.Column} ({p.Reason}): {p.Role} may {(p.Command == 'w' ? "UPDATE" : "INSERT")} it; policy \"{p.Policy.Name}\" checks the new row with {NewRowCheck(p.Policy, p.Command) ?? "nothing"}, which does not name it")
                .Distinct().ToList();
            evidence.AddRange(paths.SelectMany(p => p.Triggers.Select(t => $"trigger {t} (BEFORE {(p.Command == 'w' ? "UPDATE" : "INSERT")}) names {p.Column}: it may reset or refuse the value")).Distinct());
            var list = string.Join(", ", columnNames);
            findings.Add(new Finding(RuleIds.ProtectedColumnWritable, unguarded.Count > 0 ? Severity.Error : Severity.Warning, Concern, subject, location,
                (unguarded.Count > 0
                    ? $"{string.Join(" and ", roles)} can write protected {(columnNames.Count == 1 ? "column" : "columns")} {list} of {table.QualifiedName} on the rows the policies admit ({string.Join("; ", via)}): a user sets their own {columnNames[0]}. "
                    : $"{string.Join(" and ", roles)} may write protected {(columnNames.Count == 1 ? "column" : "columns")} {list} of {table.QualifiedName} ({string.Join("; ", via)}) unless a trigger that names {(columnNames.Count == 1 ? "it" : "them")} resets or refuses the value (see the evidence). ") +
                $"Fix: REVOKE INSERT, UPDATE ON {table.QualifiedName} FROM {string.Join(", ", roles)}; then GRANT INSERT (...), UPDATE (...) of only the columns users may set; or check them in WITH CHECK; and change {list} only on the server (the service role, or a SECURITY DEFINER function that checks the caller).",
                evidence));
        }

        return findings;
    }

    /// <summary>
    /// Whether a permissive policy lets the command reach rows at all: without USING an UPDATE reaches none, an INSERT
    /// needs a check; and for anon, whose auth.uid() is null, a policy that compares auth.uid() admits none.
    /// </summary>
    private static bool AdmitsRows(CatalogPolicy policy, char command, string role)
    {
        var reach = command == 'w' ? policy.Using : NewRowCheck(policy, command);
        return reach is not null
               && !(role == "anon" && reach.Contains("auth.uid()", System.StringComparison.OrdinalIgnoreCase) && !reach.Contains("IS NULL", System.StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What PostgreSQL checks the new row against: WITH CHECK, else USING (for UPDATE, and INSERT under FOR ALL).</summary>
    private static string? NewRowCheck(CatalogPolicy policy, char command) =>
        policy.WithCheck ?? (command == 'w' || policy.Command == '*' ? policy.Using : null);

    private static bool Names(string? expression, string column) =>
        expression is not null && Regex.IsMatch(expression, $@"(?<![\w$""]){Regex.Escape(column)}(?![\w$])|""{Regex.Escape(column)}""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
