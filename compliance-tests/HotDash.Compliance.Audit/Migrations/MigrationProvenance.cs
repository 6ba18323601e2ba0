using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Access;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>
/// Where the migrations wrote each catalog object: the file:line:col of the last statement that created or changed a
/// table, view or function, and of the last one that created or changed a policy of a table. PostgreSQL itself says
/// which objects a statement touched (an event trigger on ddl_command_end, reading pg_event_trigger_ddl_commands()),
/// so no SQL is parsed here; the applier names the statement running (the hotdash.statement setting). The trigger and
/// its schema are dropped before the audit, which therefore sees exactly what the migrations made.
/// </summary>
public sealed class MigrationProvenance
{
    private const string Schema = "hotdash_provenance";

    /// <summary>The setting the applier sets (transaction-local) to the location of each statement before running it.</summary>
    public const string StatementSetting = "hotdash.statement";

    private readonly IReadOnlyDictionary<Subject, string> _objects;
    private readonly IReadOnlyDictionary<Subject, string> _policies;

    private MigrationProvenance(IReadOnlyDictionary<Subject, string> objects, IReadOnlyDictionary<Subject, string> policies)
    {
        _objects = objects;
        _policies = policies;
    }

    /// <summary>No provenance: nothing is relocated.</summary>
    public static MigrationProvenance None { get; } = new(new Dictionary<Subject, string>(), new Dictionary<Subject, string>());

    /// <summary>
    /// Starts recording, on the disposable database, before the migrations apply. False where the server refuses an
    /// event trigger to this user (a declared disposable server whose user is no superuser): findings then keep the
    /// database as their location.
    /// </summary>
    public static async Task<bool> InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string Install = $$"""
            CREATE SCHEMA {{Schema}};
            CREATE TABLE {{Schema}}.ddl (seq bigserial PRIMARY KEY, location text NOT NULL, classid oid NOT NULL, objid oid NOT NULL);
            CREATE FUNCTION {{Schema}}.record() RETURNS event_trigger LANGUAGE plpgsql AS $body$
            BEGIN
              IF coalesce(current_setting('{{StatementSetting}}', true), '') <> '' THEN
                INSERT INTO {{Schema}}.ddl (location, classid, objid)
                SELECT current_setting('{{StatementSetting}}', true), c.classid, c.objid FROM pg_event_trigger_ddl_commands() c WHERE c.objid <> 0;
              END IF;
            END
            $body$;
            CREATE EVENT TRIGGER {{Schema}} ON ddl_command_end EXECUTE FUNCTION {{Schema}}.record();
            """;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(Install, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Reads what was recorded and removes the recorder, leaving the database as the migrations made it.</summary>
    public static async Task<MigrationProvenance> ReadAndRemoveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string Recorded = $"""
            SELECT d.location,
                   coalesce(cn.nspname, pn.nspname, tn.nspname), coalesce(c.relname, p.proname, t.relname),
                   CASE WHEN p.oid IS NOT NULL THEN 'function' WHEN pol.oid IS NOT NULL THEN 'policy' WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind IN ('r', 'p') THEN 'table' END,
                   CASE WHEN p.oid IS NOT NULL THEN pg_catalog.pg_get_function_identity_arguments(p.oid) END
            FROM {Schema}.ddl d
            LEFT JOIN pg_catalog.pg_class c ON d.classid = 'pg_catalog.pg_class'::regclass AND c.oid = d.objid
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_proc p ON d.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = d.objid
            LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
            LEFT JOIN pg_catalog.pg_policy pol ON d.classid = 'pg_catalog.pg_policy'::regclass AND pol.oid = d.objid
            LEFT JOIN pg_catalog.pg_class t ON t.oid = pol.polrelid
            LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            ORDER BY d.seq;
            """;
        var objects = new Dictionary<Subject, string>();
        var policies = new Dictionary<Subject, string>();
        await using (var command = new NpgsqlCommand(Recorded, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(3))
                {
                    continue; // An index, a sequence, a type: no finding is about it.
                }

                var name = $"{Sql.Identifier(reader.GetString(1))}.{Sql.Identifier(reader.GetString(2))}";
                var (map, subject) = reader.GetString(3) switch
                {
                    "function" => (objects, Subject.Function($"{name}({reader.GetString(4)})")),
                    "policy" => (policies, Subject.Table(name)),
                    "view" => (objects, Subject.View(name)),
                    _ => (objects, Subject.Table(name)),
                };
                map[subject] = reader.GetString(0); // In order: the last statement wins.
            }
        }

        await using (var drop = new NpgsqlCommand($"DROP EVENT TRIGGER {Schema}; DROP SCHEMA {Schema} CASCADE;", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new MigrationProvenance(objects, policies);
    }

    /// <summary>
    /// The database findings located where the migrations wrote their subject (a policy finding at its table's last
    /// policy statement), so code scanning annotates that line of the pull request; the disposable database, which is
    /// dropped after the run, is kept as evidence. Findings about what no statement wrote keep their location.
    /// </summary>
    public IReadOnlyList<Finding> Locate(IReadOnlyList<Finding> findings) =>
        findings.Select(f => !DatabaseAudit.Concerns.Contains(f.Concern) ? f
            : LocationOf(f) is { } written ? f with { Location = written, Evidence = [.. f.Evidence, $"audited on {f.Location}"] }
            : f).ToList();

    private string? LocationOf(Finding finding) =>
        finding.Concern == PolicyAudit.Concern && _policies.TryGetValue(finding.About, out var policy) ? policy
        : _objects.TryGetValue(finding.About, out var written) ? written
        : null;
}
