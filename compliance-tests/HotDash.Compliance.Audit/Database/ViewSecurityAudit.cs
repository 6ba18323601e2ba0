using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Database.Catalog;

namespace HotDash.Compliance.Audit.Database;

/// <summary>
/// HD5004: a view runs with its owner's rights unless it has security_invoker (PostgreSQL 15+),
/// so a view over an RLS table hands every caller the owner's view of the rows. Materialized views
/// store rows computed with the owner's rights and cannot have security_invoker at all.
/// </summary>
public sealed class ViewSecurityAudit
{
    public const string Concern = "rls-views";

    public async Task<IReadOnlyList<Finding>> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default) =>
        Judge(await CatalogReader.ReadAsync(session, rules, cancellationToken).ConfigureAwait(false), rules, session.Target.Display);

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var views = snapshot.Relations.Where(r => r.IsView && rules.Database.Rls.Schemas.Contains(r.Schema)).ToList();
        var supportsInvoker = snapshot.ServerVersion.Major >= 15;
        var findings = new List<Finding>();
        foreach (var view in views.Where(v => v.Extension is null))
        {
            var name = view.QualifiedName;
            var location = $"{database} (view {name})";
            var evidence = new List<string> { $"relkind = '{view.Kind}'", $"reloptions = {(view.Options.Count == 0 ? "(none)" : string.Join(",", view.Options))}", $"server version {snapshot.ServerVersion}" };

            // The bypass matters only to a role that may select from it: where the API roles exist and none of them
            // may (no SELECT, or no USAGE on its schema), the API cannot read it. Where they do not exist, nothing is known.
            var readers = snapshot.Readers(view);
            if (snapshot.ApiRoles.Count > 0 && readers.Count == 0 && (view.Kind == 'm' || !view.SecurityInvoker))
            {
                evidence.AddRange(snapshot.ApiRoles.Select(r => $"{r}: {(snapshot.Reaches(r, view.Schema) ? $"grants {RlsAudit.Describe(view.PrivilegesOf(r))}" : $"no USAGE on schema {view.Schema}")}"));
                findings.Add(new Finding(RuleIds.ViewBypassesRls, Severity.Pass, Concern, Subject.View(name), location,
                    $"{(view.Kind == 'm' ? "Materialized view" : "View")} {name} runs with its owner's rights, but no API role ({string.Join(", ", snapshot.ApiRoles)}) may select from it, so the API cannot read past RLS through it. A GRANT SELECT to one of them would make it an error.",
                    evidence));
                continue;
            }

            if (view.Kind == 'm')
            {
                findings.Add(new Finding(RuleIds.ViewBypassesRls, Severity.Error, Concern, Subject.View(name), location,
                    $"Materialized view {name} stores rows computed with its owner's rights, bypassing RLS for everyone who can select from it. Move it out of the exposed schemas, or revoke SELECT from client roles.",
                    evidence));
                continue;
            }

            if (view.SecurityInvoker)
            {
                findings.Add(new Finding(RuleIds.ViewBypassesRls, Severity.Pass, Concern, Subject.View(name), location,
                    $"View {name} runs with the caller's rights (security_invoker), so RLS applies.", evidence));
            }
            else
            {
                var fix = supportsInvoker
                    ? $"ALTER VIEW {name} SET (security_invoker = true);"
                    : "upgrade to PostgreSQL 15 or later for security_invoker, or revoke SELECT on it from client roles";
                findings.Add(new Finding(RuleIds.ViewBypassesRls, Severity.Error, Concern, Subject.View(name), location,
                    $"View {name} runs with its owner's rights and bypasses the RLS of the tables it reads. Fix: {fix}", evidence));
            }
        }

        return findings;
    }
}
