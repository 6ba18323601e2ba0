using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Providers;
using HotDash.Compliance.Audit.Database.Catalog;

namespace HotDash.Compliance.Audit.Database;

/// <summary>
/// HD6001: the live database is the declared provider. Classified from the connection host (the
/// strongest signal: a Supabase image hosted on Fly is still on Fly) and from inside the database
/// (schemas, roles, databases each provider leaves behind), with every piece of evidence listed.
/// </summary>
public sealed class ProviderAudit
{
    public const string Concern = "provider";

    public async Task<Finding> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default) =>
        Judge(session.Target, rules, (await CatalogReader.ReadAsync(session, rules, cancellationToken).ConfigureAwait(false)).ProviderSignals);

    /// <summary>The verdict from the host and from the signals present inside the database.</summary>
    public static Finding Judge(DatabaseTarget target, RulesDocument rules, IReadOnlySet<string> present)
    {
        var database = rules.Database;
        var declared = database.Provider;
        var evidence = new List<string>();
        var hostProviders = new List<string>();
        foreach (var host in target.Hosts)
        {
            var classification = HostClassifier.Classify(host, database.Providers.Select(p => new ProviderHosts(p.Name, p.HostPatterns, p.ExcludeHostPatterns)));
            if (classification.Provider is null)
            {
                evidence.Add(classification.ExcludedFrom is { } excluded
                    ? $"host {host} matches no provider's host pattern ({excluded}'s exclusion '{classification.Exclusion}' takes it out)"
                    : $"host {host} matches no provider's host pattern");
            }
            else
            {
                evidence.Add($"host {host} matches {classification.Provider} pattern '{classification.Pattern}'");
                hostProviders.Add(classification.Provider);
            }
        }

        // Inside the database, names (schemas, roles, databases) are easy to imitate: any PostgreSQL can
        // have a schema "auth" and a role "anon". Platform artifacts (tables only the provider's services
        // create, its extensions, settings of its server modules, its publications) confirm it.
        var insideProviders = new List<string>();
        var confirmedInside = new List<string>();
        foreach (var provider in database.Providers)
        {
            var names = provider.NameSignals.ToList();
            var platform = provider.PlatformSignals.ToList();
            if (names.Count + platform.Count == 0)
            {
                continue;
            }

            evidence.Add(Signals(provider.Name, "name signals", names, present));
            if (platform.Count > 0)
            {
                evidence.Add(Signals(provider.Name, "platform artifacts", platform, present));
            }

            // At least half of a provider's names: one stray schema named "auth" is not Supabase. Two
            // artifacts (or all, where fewer are declared): versions of a platform differ in which they have.
            var namesMatch = names.Count > 0 && names.Count(present.Contains) * 2 >= names.Count;
            var platformMatch = platform.Count > 0 && platform.Count(present.Contains) >= Math.Min(2, platform.Count);
            if (namesMatch || platformMatch)
            {
                insideProviders.Add(provider.Name);
            }

            // Without declared artifacts, names are all there is to go on.
            if (platformMatch || (platform.Count == 0 && namesMatch))
            {
                confirmedInside.Add(provider.Name);
            }
        }

        const string Subject = "database provider";
        var location = target.Display;
        var fix = $"point HOTDASH_DATABASE_URL's environment at the {declared} database, and migrate the data off";

        var wrongHost = hostProviders.FirstOrDefault(p => !string.Equals(p, declared, StringComparison.Ordinal));
        if (wrongHost is not null)
        {
            var inside = insideProviders.Count > 0 ? $" (inside it looks like {string.Join(" and ", insideProviders)}, but the host decides where the data lives)" : string.Empty;
            return new Finding(RuleIds.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
                $"The database is hosted on {wrongHost}, not on the declared provider {declared}{inside}; {Forbidden(rules, wrongHost)}Fix: {fix}.", evidence);
        }

        var forbiddenInside = insideProviders.FirstOrDefault(p => !string.Equals(p, declared, StringComparison.Ordinal));
        if (forbiddenInside is not null)
        {
            return new Finding(RuleIds.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
                $"The database shows the signature of {forbiddenInside}, not of the declared provider {declared}; {Forbidden(rules, forbiddenInside)}Fix: {fix}.", evidence);
        }

        if (declared is null)
        {
            return new Finding(RuleIds.WrongDatabaseProvider, Severity.Pass, Concern, Subject, location, "The rules declare no database provider.", evidence);
        }

        if (hostProviders.Contains(declared))
        {
            evidence.Add("confidence: high (the host is the provider's)");
            return new Finding(RuleIds.WrongDatabaseProvider, Severity.Pass, Concern, Subject, location,
                $"The database is {declared}, as declared: its host is {declared}'s (confidence: high).", evidence);
        }

        if (confirmedInside.Contains(declared))
        {
            var declaredArtifacts = database.Providers.First(p => p.Name == declared).PlatformSignals.Any();
            var confidence = declaredArtifacts ? "medium (the provider's platform artifacts are inside; the host is not one of its known hosts)" : "low (only names: the rules declare no platform artifacts for it)";
            evidence.Add($"confidence: {confidence}");
            return new Finding(RuleIds.WrongDatabaseProvider, Severity.Pass, Concern, Subject, location,
                $"The database is {declared}, as declared, judged from inside (confidence: {confidence}).", evidence);
        }

        var namesOnly = insideProviders.Contains(declared)
            ? $" It has {declared}'s names (schemas, roles) but not its platform artifacts, which any PostgreSQL can imitate."
            : string.Empty;
        return new Finding(RuleIds.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
            $"Cannot confirm that the database is {declared}: neither its host nor its platform artifacts are {declared}'s.{namesOnly} Fix: {fix}, or add the host pattern to the rules if this is {declared}.", evidence);
    }

    private static string Signals(string provider, string kind, IReadOnlyList<string> signals, IReadOnlySet<string> present)
    {
        var found = signals.Where(present.Contains).ToList();
        var missing = signals.Except(found).ToList();
        return $"{provider} {kind} inside the database: {found.Count}/{signals.Count} found" +
               (found.Count > 0 ? $" ({string.Join(", ", found)})" : string.Empty) +
               (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : string.Empty);
    }

    private static string Forbidden(RulesDocument rules, string provider) =>
        rules.Database.ForbiddenProviders.Contains(provider) ? $"{provider} is forbidden by the rules. " : string.Empty;
}
