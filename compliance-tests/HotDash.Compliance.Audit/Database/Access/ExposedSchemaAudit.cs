using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5012: the API exposes a schema the RLS coverage audit does not cover. Which schemas are exposed
/// is read from the database itself (PostgREST's pgrst.db_schemas, on the database or the authenticator
/// role), falling back to the rules. A schema is a finding when an API role can reach it and it holds a table of its
/// own (not an extension's) with RLS disabled; the access rules judge its policies, views and functions either way.
/// One subject per exposed schema.
/// </summary>
public static class ExposedSchemaAudit
{
    public const string Concern = "exposure";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        var audited = rules.Database.Rls.Schemas;
        foreach (var schema in snapshot.Exposed.Schemas)
        {
            var subject = Subject.Schema(schema);
            var location = $"{database} (schema {schema})";
            var evidence = new List<string> { $"exposed according to {snapshot.Exposed.Source}", $"RLS audit schemas (database.rls.schemas): {string.Join(", ", audited)}" };
            if (audited.Contains(schema))
            {
                findings.Add(new Finding(RuleIds.ExposedSchemaNotAudited, Severity.Pass, Concern, subject, location,
                    $"Exposed schema {schema} is covered by the RLS audit.", evidence));
                continue;
            }

            var usage = snapshot.SchemaUsage.TryGetValue(schema, out var roles) ? roles : null;
            if (usage is null)
            {
                findings.Add(new Finding(RuleIds.ExposedSchemaNotAudited, Severity.Info, Concern, subject, location,
                    $"The API is configured to expose schema {schema}, which does not exist in this database.", evidence));
                continue;
            }

            var relations = snapshot.Relations.Where(r => r.Schema == schema && r.Extension is null).ToList();
            var functions = snapshot.Functions.Where(f => f.Schema == schema && f.Extension is null).ToList();
            evidence.Add($"USAGE for API roles: {(usage.Count == 0 ? "none" : string.Join(", ", usage))}");
            evidence.Add($"{relations.Count} relation(s), {functions.Count} function(s) of its own");
            if (usage.Count == 0 || relations.Count + functions.Count == 0)
            {
                findings.Add(new Finding(RuleIds.ExposedSchemaNotAudited, Severity.Pass, Concern, subject, location,
                    $"Exposed schema {schema} is not in the RLS audit, but {(usage.Count == 0 ? "no API role has USAGE on it" : "it holds nothing of its own (only extension objects)")}.",
                    evidence));
                continue;
            }

            // The access rules (HD5004, HD5006-HD5011) judge every exposed schema already; what the RLS audit alone would
            // see there is a table without RLS. Where every table has it on (Supabase's storage schema), nothing is unseen.
            var withoutRls = relations.Where(r => r.IsTable && !r.RlsEnabled).Select(r => r.QualifiedName).ToList();
            if (withoutRls.Count == 0)
            {
                findings.Add(new Finding(RuleIds.ExposedSchemaNotAudited, Severity.Pass, Concern, subject, location,
                    $"Exposed schema {schema} is not in the RLS audit, but every table in it has RLS enabled, and its policies, views and functions are judged by the access rules. " +
                    $"Add \"{schema}\" to database.rls.schemas to have its tables counted in the RLS coverage.",
                    evidence));
                continue;
            }

            findings.Add(new Finding(RuleIds.ExposedSchemaNotAudited, Severity.Error, Concern, subject, location,
                $"The API exposes schema {schema} ({relations.Count} relation(s), {functions.Count} function(s), reachable by {string.Join(", ", usage)}), but the RLS audit does not cover it, and {string.Join(", ", withoutRls)} {(withoutRls.Count == 1 ? "has" : "have")} RLS disabled there. " +
                $"Fix: add \"{schema}\" to database.rls.schemas in the rules (then HD5001 judges each table), or stop exposing it (pgrst.db_schemas / the API settings).",
                [.. evidence, .. withoutRls.Select(t => $"{t}: relrowsecurity = false")]));
        }

        return findings;
    }
}
