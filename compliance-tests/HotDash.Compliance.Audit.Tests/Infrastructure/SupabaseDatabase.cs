using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Platform;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Rules;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// Databases laid out as on Supabase: the platform stub, then real migrations from public projects
/// (TestData/supabase, see its SOURCES.md), applied by the engine's own <see cref="MigrationApplier"/>. A
/// migration's CREATE EXTENSION for an extension this server does not have (pgsodium, pg_graphql, ...) is
/// skipped only when the test declares it, and every declared skip must happen: nothing is dropped silently.
/// </summary>
internal static class SupabaseDatabase
{
    private static readonly string TestData = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "supabase");

    public static async Task<string> CreateAsync(PostgresServer server, IEnumerable<string> fixtures, string? prelude = null, IReadOnlyCollection<string>? skipExtensions = null)
    {
        var database = await server.CreateDatabaseAsync(SupabasePlatformStub.Sql);
        if (prelude is not null)
        {
            await server.ExecuteAsync(database, prelude);
        }

        var skips = (skipExtensions ?? []).Select(name => new ExtensionSkip(name, "not installed on the test server"));
        var rules = Audits.Defaults with { Database = Audits.Defaults.Database with { Migrations = new MigrationRules { SkipExtensions = skips.ToList() } } };
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync();
        var applied = await MigrationApplier.ApplyFilesAsync(connection, fixtures.Select(f => System.IO.Path.Combine(TestData, f)).ToList(), TestData, rules);

        applied.Failure.Should().BeNull(applied.Failure?.Message);
        (skipExtensions ?? []).Where(name => !applied.Skipped.Any(s => s.Contains($"CREATE EXTENSION {name} ", StringComparison.Ordinal)))
            .Should().BeEmpty("every declared extension skip must correspond to a CREATE EXTENSION in the fixtures");
        return database;
    }

    /// <summary>Audits the database as the suite would, with the built-in rules unless others are given.</summary>
    public static async Task<DatabaseAuditResult> AuditAsync(PostgresServer server, string database, RulesDocument? rules = null, string user = "postgres", string? password = null)
    {
        await using var session = await Audits.OpenAsync(server.Url(database, user, password));
        return await DatabaseAudit.RunAsync(session, rules ?? Audits.Defaults);
    }
}
