using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Access;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database;

/// <summary>Every database concern's findings, from one catalog snapshot, with the summary lines of the report.</summary>
public sealed record DatabaseAuditResult(CatalogSnapshot Snapshot, RlsAuditResult Rls, Finding Provider, IReadOnlyList<Finding> Findings)
{
    /// <summary>What this database's audit could not judge, and why (buckets the audit role may not see in full).</summary>
    public IReadOnlyList<NotAudited> NotAudited { get; init; } = [];

    /// <summary>What the API roles can actually do, counted per rule: "RLS enabled" alone says nothing about it.</summary>
    public string AccessSummary
    {
        get
        {
            int Failing(string rule) => Findings.Where(f => f.RuleId == rule && f.Severity == Severity.Error).Select(f => f.Subject).Distinct().Count();
            var parts = new List<string>();
            void Add(string rule, string one, string many)
            {
                var n = Failing(rule);
                if (n > 0)
                {
                    parts.Add($"{n} {(n == 1 ? one : many)} ({rule})");
                }
            }

            Add(RuleIds.AlwaysTruePolicy, "table an API role can read or change in full through an always-true policy", "tables an API role can read or change in full through always-true policies");
            Add(RuleIds.PolicyTrustsUserMetadata, "table whose policy trusts user-editable or caller-set data", "tables whose policies trust user-editable or caller-set data");
            Add(RuleIds.ProtectedColumnWritable, "table whose protected columns an API role can write", "tables whose protected columns an API role can write");
            Add(RuleIds.SelfGrantedMembership, "membership table any signed-in user can join on their own", "membership tables any signed-in user can join on their own");
            Add(RuleIds.DefinerFunctionCallable, "function an API role can call with its owner's rights", "functions an API role can call with their owners' rights");
            Add(RuleIds.PrivateRelationExposed, "view exposing a private relation", "views exposing private relations");
            Add(RuleIds.BucketListable, "bucket anyone with the anon key can list in full", "buckets anyone with the anon key can list in full");
            Add(RuleIds.ExposedSchemaNotAudited, "exposed schema the RLS audit does not cover", "exposed schemas the RLS audit does not cover");
            // Buckets it could not see in full are not "no listable bucket": the summary says they were not judged.
            var bucketsNotJudged = NotAudited.Any(n => n.Concern == StorageBucketAudit.NotJudgedConcern);
            if (bucketsNotJudged)
            {
                parts.Add("storage buckets not judged");
            }

            var scope = $" (roles {string.Join(", ", Snapshot.ApiRoles)}; exposed schemas {string.Join(", ", Snapshot.Exposed.Schemas)})";
            return parts.Count == 0
                ? "API access: no always-true policy, no policy on user metadata or caller-set data, no writable protected column, no self-service membership, no callable definer function, no exposed private relation, no listable bucket" + scope
                : parts.Count == 1 && bucketsNotJudged
                    ? "API access: no always-true policy, no policy on user metadata or caller-set data, no writable protected column, no self-service membership, no callable definer function, no exposed private relation; storage buckets not judged" + scope
                    : $"API access: {string.Join("; ", parts)}" + scope;
        }
    }
}

/// <summary>Reads the catalog snapshot once and judges every database concern over it.</summary>
public static class DatabaseAudit
{
    /// <summary>The finding concerns one database audit produces: what "the database was not audited" stands for.</summary>
    public static readonly IReadOnlyList<string> Concerns =
    [
        RlsAudit.Concern, ViewSecurityAudit.Concern, PolicyAudit.Concern, ProtectedColumnAudit.Concern, MembershipAudit.Concern, FunctionAudit.Concern, PrivateRelationAudit.Concern,
        StorageBucketAudit.Concern, ExposedSchemaAudit.Concern, ProviderAudit.Concern,
    ];

    public static async Task<DatabaseAuditResult> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var snapshot = await CatalogReader.ReadAsync(session, rules, cancellationToken).ConfigureAwait(false);
        return Judge(snapshot, session.Target, rules);
    }

    public static DatabaseAuditResult Judge(CatalogSnapshot snapshot, DatabaseTarget target, RulesDocument rules)
    {
        var database = target.Display;
        var rls = RlsAudit.Judge(snapshot, rules, database);
        var provider = ProviderAudit.Judge(target, rules, snapshot.ProviderSignals);
        var findings = new List<Finding>(rls.Findings);
        findings.AddRange(ViewSecurityAudit.Judge(snapshot, rules, database));
        findings.AddRange(PolicyAudit.Judge(snapshot, rules, database));
        findings.AddRange(ProtectedColumnAudit.Judge(snapshot, rules, database));
        findings.AddRange(MembershipAudit.Judge(snapshot, rules, database));
        findings.AddRange(FunctionAudit.Judge(snapshot, rules, database));
        findings.AddRange(PrivateRelationAudit.Judge(snapshot, rules, database));
        findings.AddRange(StorageBucketAudit.Judge(snapshot, database));
        findings.AddRange(ExposedSchemaAudit.Judge(snapshot, rules, database));
        findings.Add(provider);
        return new DatabaseAuditResult(snapshot, rls, provider, findings)
        {
            NotAudited = StorageBucketAudit.NotJudged(snapshot) is { } buckets ? [buckets] : [],
        };
    }
}
