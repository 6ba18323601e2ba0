using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Providers;
using NpgsqlTypes;

namespace HotDash.Compliance.Audit.Database;

/// <summary>
/// HD6001: the live database is the declared provider. Classified from the connection host (the
/// strongest signal: a Supabase image hosted on Fly is still on Fly) and from inside the database
/// (schemas, roles, databases each provider leaves behind), with every piece of evidence listed.
/// </summary>
public sealed class ProviderAudit
{
    public const string Concern = "provider";

    private const string SignalsQuery = """
        SELECT 'schema', nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(@schemas)
        UNION ALL
        SELECT 'role', rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@roles)
        UNION ALL
        SELECT 'database', datname FROM pg_catalog.pg_database WHERE datname = ANY(@databases)
        """;

    public async Task<Finding> RunAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var database = rules.Database;
        var providers = database.Providers;
        var present = (await session.QueryAsync(
                SignalsQuery,
                p =>
                {
                    p.AddWithValue("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, providers.SelectMany(x => x.Schemas).Distinct().ToArray());
                    p.AddWithValue("roles", NpgsqlDbType.Array | NpgsqlDbType.Text, providers.SelectMany(x => x.Roles).Distinct().ToArray());
                    p.AddWithValue("databases", NpgsqlDbType.Array | NpgsqlDbType.Text, providers.SelectMany(x => x.Databases).Distinct().ToArray());
                },
                r => $"{r.GetString(0)} {r.GetString(1)}",
                cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);

        return Judge(session.Target, rules, present);
    }

    /// <summary>The verdict from the host and from the signals present inside the database.</summary>
    public static Finding Judge(DatabaseTarget target, RulesDocument rules, IReadOnlySet<string> present)
    {
        var database = rules.Database;
        var declared = database.Provider;
        var evidence = new List<string>();
        var hostProviders = new List<string>();
        foreach (var host in target.Hosts)
        {
            var classification = HostClassifier.Classify(host, database.Providers.Select(p => new ProviderHosts(p.Name, p.HostPatterns)));
            if (classification.Provider is null)
            {
                evidence.Add($"host {host} matches no provider's host pattern");
            }
            else
            {
                evidence.Add($"host {host} matches {classification.Provider} pattern '{classification.Pattern}'");
                hostProviders.Add(classification.Provider);
            }
        }

        var insideProviders = new List<string>();
        foreach (var provider in database.Providers)
        {
            var signals = provider.Schemas.Select(s => $"schema {s}")
                .Concat(provider.Roles.Select(r => $"role {r}"))
                .Concat(provider.Databases.Select(d => $"database {d}"))
                .ToList();
            if (signals.Count == 0)
            {
                continue;
            }

            var found = signals.Where(present.Contains).ToList();
            var missing = signals.Except(found).ToList();
            evidence.Add($"{provider.Name} signals inside the database: {found.Count}/{signals.Count} found" +
                         (found.Count > 0 ? $" ({string.Join(", ", found)})" : string.Empty) +
                         (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : string.Empty));

            // At least half of a provider's signals: one stray schema named "auth" is not Supabase.
            if (found.Count * 2 >= signals.Count)
            {
                insideProviders.Add(provider.Name);
            }
        }

        const string Subject = "database provider";
        var location = target.Display;
        var fix = $"point HOTDASH_DATABASE_URL's environment at the {declared} database, and migrate the data off";

        var wrongHost = hostProviders.FirstOrDefault(p => !string.Equals(p, declared, StringComparison.Ordinal));
        if (wrongHost is not null)
        {
            var inside = insideProviders.Count > 0 ? $" (inside it looks like {string.Join(" and ", insideProviders)}, but the host decides where the data lives)" : string.Empty;
            return new Finding(AuditRules.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
                $"The database is hosted on {wrongHost}, not on the declared provider {declared}{inside}; {Forbidden(rules, wrongHost)}Fix: {fix}.", evidence);
        }

        var forbiddenInside = insideProviders.FirstOrDefault(p => !string.Equals(p, declared, StringComparison.Ordinal));
        if (forbiddenInside is not null)
        {
            return new Finding(AuditRules.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
                $"The database shows the signature of {forbiddenInside}, not of the declared provider {declared}; {Forbidden(rules, forbiddenInside)}Fix: {fix}.", evidence);
        }

        if (declared is null || hostProviders.Contains(declared) || insideProviders.Contains(declared))
        {
            return new Finding(AuditRules.WrongDatabaseProvider, Severity.Pass, Concern, Subject, location,
                declared is null ? "The rules declare no database provider." : $"The database is {declared}, as declared.", evidence);
        }

        return new Finding(AuditRules.WrongDatabaseProvider, Severity.Error, Concern, Subject, location,
            $"Cannot confirm that the database is {declared}: neither its host nor its contents carry {declared}'s signature. Fix: {fix}, or add the host pattern to the rules if this is {declared}.", evidence);
    }

    private static string Forbidden(RulesDocument rules, string provider) =>
        rules.Database.ForbiddenProviders.Contains(provider) ? $"{provider} is forbidden by the rules. " : string.Empty;
}
