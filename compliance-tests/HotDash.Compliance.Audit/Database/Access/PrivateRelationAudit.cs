using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5010: a view or materialized view in an exposed schema that reads a private relation (auth.users:
/// e-mail addresses, phone numbers, every user's metadata) and that an API role may select from. A view
/// without security_invoker reads with its owner's rights, and a materialized view holds a copy, so the
/// API role gets rows it could never read from the relation itself. Views over views are followed.
/// One subject per such view.
/// </summary>
public static class PrivateRelationAudit
{
    public const string Concern = "private-relations";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        var reads = snapshot.ViewDependencies
            .GroupBy(d => (d.ViewSchema, d.View))
            .ToDictionary(g => g.Key, g => g.Select(d => (d.Schema, d.Relation)).ToList());
        var views = snapshot.Relations.Where(r => r.IsView && r.Extension is null && snapshot.Exposed.Schemas.Contains(r.Schema));
        foreach (var view in views)
        {
            var path = PathToPrivate(view.Schema, view.Name, reads, rules.Database.PrivateRelations);
            if (path is null)
            {
                continue;
            }

            var target = path[^1];
            var subject = Subject.View(view.QualifiedName);
            var location = $"{database} ({(view.Kind == 'm' ? "materialized view" : "view")} {view.QualifiedName})";
            var readers = snapshot.Readers(view);
            var privateRelation = Find(snapshot, target);
            var evidence = new List<string>
            {
                $"reads {string.Join(" -> ", path)}",
                $"relkind = '{view.Kind}', owner {view.Owner}, reloptions = {(view.Options.Count == 0 ? "(none)" : string.Join(",", view.Options))}",
                $"SELECT for API roles: {(readers.Count == 0 ? "none" : string.Join(", ", readers))}",
            };

            // The rights on the private relation are checked for the view that reads it directly: its
            // owner's, unless that view has security_invoker; then the caller's own rights decide, even
            // when an outer view without it wraps the invoker view (PostgreSQL checks as the querying role).
            var directName = path[^2];
            var direct = Find(snapshot, directName) ?? view;
            var ownRights = direct.Kind == 'v' && direct.SecurityInvoker;
            var exposedTo = ownRights
                ? readers.Where(r => privateRelation is not null && privateRelation.PrivilegesOf(r).HasFlag(TablePrivileges.Select)).ToList()
                : readers;
            if (ownRights)
            {
                evidence.Add($"{direct.QualifiedName} has security_invoker: the caller's own SELECT on {target} decides ({(exposedTo.Count == 0 ? "no API role has it" : string.Join(", ", exposedTo))})");
            }

            // Writes: every view on the way must pass the command through (automatically updatable, or INSTEAD OF
            // triggers); the API role needs the privilege on the view, and, through a security_invoker view, on the
            // private relation itself. Through a definer view the write lands with the owner's rights.
            var passes = path.Take(path.Count - 1).Select(name => Find(snapshot, name)?.WritesThrough ?? TablePrivileges.None)
                .Aggregate(TablePrivileges.Insert | TablePrivileges.Update | TablePrivileges.Delete, (all, one) => all & one);
            var writes = snapshot.ApiRoles.Where(r => snapshot.Reaches(r, view.Schema))
                .Select(r => (Role: r, Can: view.PrivilegesOf(r) & passes & (ownRights ? privateRelation?.PrivilegesOf(r) ?? TablePrivileges.None : ~TablePrivileges.None)))
                .Where(w => w.Can != TablePrivileges.None)
                .ToList();
            evidence.Add($"writes it passes through: {(passes == TablePrivileges.None ? "none" : RlsAudit.Describe(passes))}");

            if (exposedTo.Count == 0 && writes.Count == 0)
            {
                findings.Add(new Finding(RuleIds.PrivateRelationExposed, Severity.Pass, Concern, subject, location,
                    $"{view.QualifiedName} reads {target}, but no API role can read or write {target} through it.", evidence));
                continue;
            }

            var how = direct.Kind == 'm' ? "it holds a copy of the rows" : ownRights ? "the role may read it directly" : $"{direct.QualifiedName} reads it with its owner {direct.Owner}'s rights";
            var read = exposedTo.Count == 0 ? null : $"exposes the private relation {target} to {string.Join(" and ", exposedTo)} through the API (GET /rest/v1/{view.Name}): {how}";
            var write = writes.Count == 0 ? null
                : $"lets {string.Join("; ", writes.GroupBy(w => w.Can & ~TablePrivileges.Select).Select(g => $"{string.Join(" and ", g.Select(w => w.Role))} {RlsAudit.Describe(g.Key)}"))} rows of {target} through it (PATCH, POST, DELETE /rest/v1/{view.Name}){(ownRights ? string.Empty : $", with {direct.Owner}'s rights")}";
            var revoke = string.Join(", ", new[] { exposedTo.Count > 0 ? "SELECT" : null, writes.Any(w => w.Can.HasFlag(TablePrivileges.Insert)) ? "INSERT" : null, writes.Any(w => w.Can.HasFlag(TablePrivileges.Update)) ? "UPDATE" : null, writes.Any(w => w.Can.HasFlag(TablePrivileges.Delete)) ? "DELETE" : null }.Where(p => p is not null));
            findings.Add(new Finding(RuleIds.PrivateRelationExposed, Severity.Error, Concern, subject, location,
                $"{(view.Kind == 'm' ? "Materialized view" : "View")} {view.QualifiedName} {string.Join(", and ", new[] { read, write }.Where(p => p is not null))}. " +
                $"Fix: REVOKE {revoke} ON {view.QualifiedName} FROM {string.Join(", ", exposedTo.Concat(writes.Select(w => w.Role)).Distinct())}; and move it to a schema the API does not expose, or keep the columns you need in a table of your own filled by a trigger, with RLS.",
                evidence));
        }

        return findings;
    }

    private static CatalogRelation? Find(CatalogSnapshot snapshot, string qualified)
    {
        var dot = qualified.IndexOf('.', StringComparison.Ordinal);
        return snapshot.FindRelation(qualified[..dot], qualified[(dot + 1)..]);
    }

    /// <summary>The chain of relations from the view to a private relation, or null.</summary>
    private static List<string>? PathToPrivate(
        string schema, string name, Dictionary<(string, string), List<(string Schema, string Relation)>> reads, IReadOnlyList<string> privateRelations)
    {
        var start = $"{schema}.{name}";
        var queue = new Queue<List<string>>([[start]]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            var last = path[^1];
            var dot = last.IndexOf('.', StringComparison.Ordinal);
            if (!reads.TryGetValue((last[..dot], last[(dot + 1)..]), out var next))
            {
                continue;
            }

            foreach (var (s, r) in next)
            {
                var relation = $"{s}.{r}";
                if (privateRelations.Contains(relation))
                {
                    return [.. path, relation];
                }

                if (seen.Add(relation))
                {
                    queue.Enqueue([.. path, relation]);
                }
            }
        }

        return null;
    }
}
