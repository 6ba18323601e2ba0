using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using NpgsqlTypes;

namespace HotDash.Compliance.Audit.Database;

/// <summary>
/// HD5004: a view runs with its owner's rights unless it has security_invoker (PostgreSQL 15+),
/// so a view over an RLS table hands every caller the owner's view of the rows. Materialized views
/// store rows computed with the owner's rights and cannot have security_invoker at all.
/// </summary>
public sealed class ViewSecurityAudit
{
    public const string Concern = "rls-views";

    private const string ViewsQuery = """
        SELECT n.nspname, c.relname, c.relkind::text,
               coalesce(array_to_string(c.reloptions, ','), '') AS options,
               EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                          AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e') AS extension_owned
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY(@schemas)
         ORDER BY n.nspname, c.relname
        """;

    public async Task<IReadOnlyList<Finding>> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var views = await session.QueryAsync(
            ViewsQuery,
            p => p.AddWithValue("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, rules.Database.Rls.Schemas.ToArray()),
            r => (Schema: r.GetString(0), Name: r.GetString(1), Kind: r.GetString(2)[0], Options: r.GetString(3), ExtensionOwned: r.GetBoolean(4)),
            cancellationToken).ConfigureAwait(false);

        var supportsInvoker = session.ServerVersion.Major >= 15;
        var findings = new List<Finding>();
        foreach (var view in views.Where(v => !v.ExtensionOwned))
        {
            var name = $"{AuditedTable.QuoteIdentifier(view.Schema)}.{AuditedTable.QuoteIdentifier(view.Name)}";
            var location = $"{session.Target.Display} (view {name})";
            var evidence = new List<string> { $"relkind = '{view.Kind}'", $"reloptions = {(view.Options.Length == 0 ? "(none)" : view.Options)}", $"server version {session.ServerVersion}" };
            if (view.Kind == 'm')
            {
                findings.Add(new Finding(AuditRules.ViewBypassesRls, Severity.Error, Concern, $"view {name}", location,
                    $"Materialized view {name} stores rows computed with its owner's rights, bypassing RLS for everyone who can select from it. Move it out of the exposed schemas, or revoke SELECT from client roles.",
                    evidence));
                continue;
            }

            var invoker = view.Options.Split(',').Any(o => o.Trim().ToLowerInvariant() is "security_invoker=true" or "security_invoker=on" or "security_invoker=1" or "security_invoker=yes");
            if (invoker)
            {
                findings.Add(new Finding(AuditRules.ViewBypassesRls, Severity.Pass, Concern, $"view {name}", location,
                    $"View {name} runs with the caller's rights (security_invoker), so RLS applies.", evidence));
            }
            else
            {
                var fix = supportsInvoker
                    ? $"ALTER VIEW {name} SET (security_invoker = true);"
                    : "upgrade to PostgreSQL 15 or later for security_invoker, or revoke SELECT on it from client roles";
                findings.Add(new Finding(AuditRules.ViewBypassesRls, Severity.Error, Concern, $"view {name}", location,
                    $"View {name} runs with its owner's rights and bypasses the RLS of the tables it reads. Fix: {fix}", evidence));
            }
        }

        return findings;
    }
}
