using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Platform;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// Databases laid out as on Supabase: the platform stub, then real migrations from public projects
/// (TestData/supabase, see its SOURCES.md). A migration's CREATE EXTENSION for an extension this
/// server does not have (pgsodium, pg_graphql, ...) is skipped only when the test declares it, and a
/// declared skip that does not happen fails the load: nothing is dropped silently.
/// </summary>
internal static partial class SupabaseDatabase
{
    public static string Fixture(string file) => Repository.Read("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "supabase", file);

    public static async Task<string> CreateAsync(PostgresServer server, IEnumerable<string> fixtures, string? prelude = null, IReadOnlyCollection<string>? skipExtensions = null)
    {
        var database = await server.CreateDatabaseAsync(SupabasePlatformStub.Sql);
        if (prelude is not null)
        {
            await server.ExecuteAsync(database, prelude);
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in fixtures)
        {
            var sql = CreateExtension().Replace(Fixture(file), m =>
            {
                var name = m.Groups["name"].Value;
                if (skipExtensions?.Contains(name) != true)
                {
                    return m.Value;
                }

                skipped.Add(name);
                return $"-- skipped by the test (extension {name} is not installed here): {m.Value}";
            });
            await server.ExecuteAsync(database, sql);
        }

        (skipExtensions ?? []).Except(skipped).Should().BeEmpty("every declared extension skip must correspond to a CREATE EXTENSION in the fixtures");
        return database;
    }

    /// <summary>Audits the database as the suite would, with the built-in rules unless others are given.</summary>
    public static async Task<DatabaseAuditResult> AuditAsync(PostgresServer server, string database, RulesDocument? rules = null, string user = "postgres", string? password = null)
    {
        await using var session = await Audits.OpenAsync(server.Url(database, user, password));
        return await DatabaseAudit.RunAsync(session, rules ?? Audits.Defaults);
    }

    [GeneratedRegex(@"CREATE EXTENSION IF NOT EXISTS ""?(?<name>[a-z_\-]+)""?[^;]*;", RegexOptions.IgnoreCase)]
    private static partial Regex CreateExtension();
}
