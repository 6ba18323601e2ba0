using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5011: Supabase Storage answers list and download requests as the caller's role (anon or
/// authenticated) against storage.objects, so its SELECT policies decide who lists what. A public
/// bucket serves each object by URL without any policy; a SELECT policy that admits every object of the
/// bucket (bucket_id = '...' and nothing about the caller) adds only one thing: anyone may list every
/// file name. On a private bucket the same policy hands every object to that role. Only where the
/// storage schema exists; one subject per bucket.
/// </summary>
public static class StorageBucketAudit
{
    public const string Concern = "storage";

    /// <summary>The not-audited concern when the buckets could not be read in full: the audit was asked for, so it fails the run.</summary>
    public const string NotJudgedConcern = "storage buckets";

    /// <summary>Why the buckets were not judged (the audit role may not read storage.buckets, or RLS may hide rows from it), or null.</summary>
    public static NotAudited? NotJudged(CatalogSnapshot snapshot) =>
        snapshot.FindRelation("storage", "objects") is not null && snapshot.Buckets is null
            ? new NotAudited(NotJudgedConcern, $"storage buckets were not judged (HD5011): {snapshot.BucketsNote}", true, [Concern])
            : null;

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, string database)
    {
        var findings = new List<Finding>();
        var objects = snapshot.FindRelation("storage", "objects");
        if (objects is null || snapshot.Buckets is null)
        {
            // No Storage, or buckets it may not see in full (NotJudged says so): nothing is judged, nothing passes.
            return findings;
        }

        var policies = snapshot.PoliciesOf(objects).Where(p => p.Permissive && p.Covers('r')).ToList();
        foreach (var bucket in snapshot.Buckets)
        {
            var subject = Subject.Bucket(bucket.Id);
            var location = $"{database} (storage bucket '{bucket.Id}', public = {bucket.Public.ToString().ToLowerInvariant()})";
            var broad = new List<(CatalogPolicy Policy, List<string> Roles)>();
            foreach (var policy in policies)
            {
                var admitted = policy.ApiRoles
                    .Where(r => objects.PrivilegesOf(r).HasFlag(TablePrivileges.Select) && PolicyExpression.OnlyFiltersBucket(policy.Using, bucket.Id, r))
                    .ToList();
                if (admitted.Count > 0)
                {
                    broad.Add((policy, admitted));
                }
            }

            var evidence = broad.Select(b => $"{b.Policy.Describe()} admits every object of '{bucket.Id}' for {string.Join(", ", b.Roles)}").ToList();
            evidence.Add(objects.RlsEnabled ? "storage.objects has RLS enabled" : "storage.objects has RLS DISABLED");
            if (broad.Count == 0)
            {
                findings.Add(new Finding(RuleIds.BucketListable, Severity.Pass, Concern, subject, location,
                    $"No SELECT policy on storage.objects admits every object of bucket '{bucket.Id}' to an API role.", evidence));
                continue;
            }

            var roles = broad.SelectMany(b => b.Roles).Distinct().ToList();
            var names = string.Join(", ", broad.Select(b => $"\"{b.Policy.Name}\""));
            findings.Add(bucket.Public
                ? new Finding(RuleIds.BucketListable, Severity.Error, Concern, subject, location,
                    $"Public bucket '{bucket.Id}' has SELECT {(broad.Count == 1 ? "policy" : "policies")} {names} on storage.objects that admit every object of the bucket to {string.Join(" and ", roles)}: anyone with the anon key can list every file in it. " +
                    $"A public bucket serves each object by its URL without any policy. Fix: DROP POLICY {names} ON storage.objects; or narrow it to the caller's own folder, e.g. USING (bucket_id = '{bucket.Id}' AND (storage.foldername(name))[1] = (select auth.uid())::text).",
                    evidence)
                : roles.Contains("anon")
                    ? new Finding(RuleIds.BucketListable, Severity.Error, Concern, subject, location,
                        $"Private bucket '{bucket.Id}' has SELECT {(broad.Count == 1 ? "policy" : "policies")} {names} on storage.objects that admit every object of the bucket to anon: anyone with the anon key (it ships in every client) can list and download every file in it, so the bucket is private in name only. " +
                        $"Fix: drop anon from the policy and narrow it to the caller, e.g. TO authenticated USING (bucket_id = '{bucket.Id}' AND (storage.foldername(name))[1] = (select auth.uid())::text); or, if every file is meant to be public, make the bucket public and drop the policy.",
                        evidence)
                    : new Finding(RuleIds.BucketListable, Severity.Warning, Concern, subject, location,
                        $"Private bucket '{bucket.Id}' has SELECT {(broad.Count == 1 ? "policy" : "policies")} {names} on storage.objects that admit every object of the bucket to {string.Join(" and ", roles)}: each of them can list and download every file in it. " +
                        $"If the bucket is not shared by all of them on purpose, narrow the policy to the caller, e.g. USING (bucket_id = '{bucket.Id}' AND (storage.foldername(name))[1] = (select auth.uid())::text).",
                        evidence));
        }

        return findings;
    }
}
