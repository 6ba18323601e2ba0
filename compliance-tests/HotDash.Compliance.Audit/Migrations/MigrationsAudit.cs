using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Platform;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>What the migrations audit did, for the suite's test cases and the report.</summary>
public sealed record MigrationsAuditResult(string Origin, MigrationsApplied Applied, DatabaseAuditResult? Database, IReadOnlyList<Finding> Findings, int RoundTrips)
{
    /// <summary>The attack simulation's access matrix (null when the migrations did not apply).</summary>
    public Report.AccessMatrix? Access { get; init; }
}

/// <summary>
/// The database half of a pull request: a disposable database (a throwaway local server, or a fresh database in
/// the server HOTDASH_DISPOSABLE_DATABASE_URL declares disposable), the Supabase platform stub, the project's
/// migrations and seed, the whole database audit on the result, a proof of every exposure it reports, and the attack
/// simulation (two tenants seeded, every attempt an attacker would make, the access matrix). Only
/// this database is written to; it is dropped (and its server stopped) at the end.
/// </summary>
public static class MigrationsAudit
{
    public static async Task<MigrationsAuditResult> RunAsync(
        string migrations, string? seed, DisposableServer disposable, string repoRoot, RulesDocument rules,
        TimeSpan connectTimeout, TimeSpan statementTimeout, CancellationToken cancellationToken = default)
    {
        await using var database = await DisposableDatabase.CreateAsync(disposable, cancellationToken).ConfigureAwait(false);
        MigrationsApplied applied;
        MigrationProvenance provenance;
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var stub = new NpgsqlCommand(SupabasePlatformStub.Sql, connection))
            {
                await stub.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var recording = await MigrationProvenance.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
            applied = await MigrationApplier.ApplyAsync(connection, migrations, seed, repoRoot, rules, cancellationToken).ConfigureAwait(false);
            provenance = recording ? await MigrationProvenance.ReadAndRemoveAsync(connection, cancellationToken).ConfigureAwait(false) : MigrationProvenance.None;
        }

        var findings = applied.Applied
            .Select(file => new Finding(RuleIds.MigrationFailed, Severity.Pass, MigrationApplier.Concern, Subject.Migration(file), file, $"{file} applies to {database.Origin}.", []))
            .ToList();
        if (applied.Failure is not null)
        {
            findings.Add(applied.Failure);
            return new MigrationsAuditResult(database.Origin, applied, null, findings, 0);
        }

        DatabaseAuditResult result;
        int roundTrips;
        await using (var session = await AuditSession.OpenAsync(database.Target, connectTimeout, statementTimeout, cancellationToken).ConfigureAwait(false))
        {
            result = await DatabaseAudit.RunAsync(session, rules, cancellationToken).ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
            roundTrips = session.RoundTrips;
        }

        var proved = await ExposureProver.ProveAsync(database, result, rules, cancellationToken).ConfigureAwait(false);

        // After the proofs (they insert rows of their own): the simulation seeds its two tenants for good.
        var simulated = await Simulation.AttackSimulation.RunAsync(database, result.Snapshot, proved, rules, cancellationToken).ConfigureAwait(false);
        findings.AddRange(simulated.Findings);

        // Located where the pull request wrote them (the disposable database is gone after the run).
        return new MigrationsAuditResult(database.Origin, applied, result, provenance.Locate(findings), roundTrips) { Access = simulated.Matrix };
    }
}
