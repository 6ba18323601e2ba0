using System;
using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Database.Access;

/// <summary>
/// HD5008 and HD5009: functions the API can call with their owner's rights. PostgREST serves every
/// function of an exposed schema at /rpc/&lt;name&gt; to any role with EXECUTE, and PostgreSQL grants EXECUTE
/// to PUBLIC by default (Supabase's default privileges grant it to anon and authenticated too). A
/// SECURITY DEFINER function so reachable runs with its owner's rights, past RLS. Trigger and
/// event-trigger functions cannot be called directly (PostgreSQL refuses), and extension members belong
/// to their extension: neither is a finding. One subject per function.
/// </summary>
public static class FunctionAudit
{
    public const string Concern = "functions";

    public static IReadOnlyList<Finding> Judge(CatalogSnapshot snapshot, RulesDocument rules, string database)
    {
        var findings = new List<Finding>();
        var exemptions = rules.Database.FunctionExemptions.ToDictionary(e => e.Function, StringComparer.Ordinal);
        var inScope = snapshot.Exposed.Schemas.Concat(rules.Database.Rls.Schemas).ToHashSet(StringComparer.Ordinal);
        var functions = snapshot.Functions.Where(f => f.Extension is null && inScope.Contains(f.Schema)).ToList();
        foreach (var function in functions)
        {
            var subject = Subject.Function(function.Signature);
            var location = $"{database} (function {function.Signature})";
            var evidence = new List<string>
            {
                $"prosecdef = {function.SecurityDefiner.ToString().ToLowerInvariant()}",
                $"owner {function.Owner}{(function.OwnerIsSuperuser ? " (superuser)" : function.OwnerBypassesRls ? " (BYPASSRLS)" : string.Empty)}",
                $"returns {function.ReturnType}, language {function.Language}",
                $"EXECUTE for API roles: {(function.ExecutableBy.Count == 0 ? "none" : string.Join(", ", function.ExecutableBy))}",
                $"proconfig = {(function.Config.Count == 0 ? "(none)" : string.Join(", ", function.Config))}",
            };
            var before = findings.Count;
            if (function.SecurityDefiner)
            {
                Callable(function, snapshot, exemptions, subject, location, evidence, findings);
                if (function.SearchPath is null)
                {
                    findings.Add(new Finding(RuleIds.DefinerFunctionSearchPath, Severity.Warning, Concern, subject, location,
                        $"SECURITY DEFINER function {function.Signature} has no fixed search_path: it resolves unqualified names through the caller's search_path, so a caller who can create objects in a schema on that path can make it run their code with {function.Owner}'s rights. " +
                        $"Fix: ALTER FUNCTION {function.Signature} SET search_path = ''; and qualify the names it uses.",
                        evidence));
                }
            }

            if (!findings.Skip(before).Any(f => f.RuleId == RuleIds.DefinerFunctionCallable))
            {
                findings.Add(new Finding(RuleIds.DefinerFunctionCallable, Severity.Pass, Concern, subject, location,
                    function.SecurityDefiner
                        ? $"{function.Signature} runs with its owner's rights, but no API role can call it through the API ({Unreachable(function, snapshot)})."
                        : $"{function.Signature} runs with the caller's rights (SECURITY INVOKER): RLS applies to what it does.",
                    evidence));
            }
        }

        var names = snapshot.Functions.Select(f => $"{f.Schema}.{f.Name}").ToHashSet(StringComparer.Ordinal);
        foreach (var exemption in rules.Database.FunctionExemptions.Where(e => !names.Contains(e.Function)))
        {
            findings.Add(RlsAudit.StaleExemption(exemption.Function, exemption.Reason, "database.functionExemptions", "schemas read by the audit"));
        }

        return findings;
    }

    private static void Callable(
        CatalogFunction function, CatalogSnapshot snapshot, Dictionary<string, FunctionExemption> exemptions,
        Subject subject, string location, List<string> evidence, List<Finding> findings)
    {
        if (function.IsTrigger)
        {
            evidence.Add("trigger function: PostgreSQL refuses a direct call (\"trigger functions can only be called as triggers\")");
            return;
        }

        var callers = function.ExecutableBy.Where(r => snapshot.Reaches(r, function.Schema)).ToList();
        if (callers.Count == 0)
        {
            return;
        }

        if (exemptions.TryGetValue($"{function.Schema}.{function.Name}", out var exemption))
        {
            evidence.Add($"exempt: {exemption.Reason}");
            findings.Add(new Finding(RuleIds.DefinerFunctionCallable, Severity.Pass, Concern, subject, location,
                $"{function.Signature} is callable by {string.Join(", ", callers)} with {function.Owner}'s rights, and exempt by the rules: {exemption.Reason}", evidence) { ExemptBecause = exemption.Reason });
            return;
        }

        var bypasses = function.OwnerIsSuperuser || function.OwnerBypassesRls || snapshot.OwnsTablesPastRls(function.Owner);
        var rights = function.OwnerIsSuperuser ? "a superuser's rights"
            : function.OwnerBypassesRls ? "the rights of a BYPASSRLS role"
            : bypasses ? $"the rights of {function.Owner}, who owns tables whose RLS does not apply to their owner"
            : $"{function.Owner}'s rights";
        var severity = bypasses ? Severity.Error : Severity.Warning;
        findings.Add(new Finding(RuleIds.DefinerFunctionCallable, severity, Concern, subject, location,
            $"SECURITY DEFINER function {function.Signature} is callable through the API (POST /rest/v1/rpc/{function.Name}) by {string.Join(" and ", callers)}, and runs with {rights}{(bypasses ? ", past every RLS policy" : string.Empty)}. " +
            $"Fix: REVOKE EXECUTE ON FUNCTION {function.Signature} FROM PUBLIC, {string.Join(", ", callers)}; (grant it to the roles that need it), or move it to a schema the API does not expose, or make it SECURITY INVOKER; if the API must call it, exempt it in database.functionExemptions with the reason.",
            evidence));
    }

    private static string Unreachable(CatalogFunction function, CatalogSnapshot snapshot)
    {
        if (function.IsTrigger)
        {
            return "it is a trigger function";
        }

        if (!snapshot.Exposed.Schemas.Contains(function.Schema))
        {
            return $"schema {function.Schema} is not exposed";
        }

        return function.ExecutableBy.Count == 0 ? "no API role has EXECUTE" : "the API roles with EXECUTE have no USAGE on its schema";
    }
}
