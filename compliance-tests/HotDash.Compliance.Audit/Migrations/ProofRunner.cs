using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>What happened when a statement ran as an API role: the rows it returned, how many it changed, or PostgreSQL's refusal.</summary>
public sealed record ProofResult(IReadOnlyList<string> Rows, int Affected, string? SqlState, string? Error, string? SetupError, IReadOnlyList<string> After)
{
    /// <summary>What each follow-up query returned as the same role after the attempt (its first value, or "error SQLSTATE: message").</summary>
    public IReadOnlyList<string> FollowUps { get; init; } = [];

    /// <summary>PostgreSQL refused the attempt for lack of a privilege, or because a policy rejected the row.</summary>
    public bool Refused => SqlState is "42501" or "42883";
}

/// <summary>
/// Runs one attempt as an API role, the way PostgREST runs a request: in a transaction that is always
/// rolled back, the proof's own rows are inserted first (as the database owner, with foreign keys and
/// triggers off where the owner may turn them off), then the role switches to the API role with a made-up
/// user's JWT claims (SET LOCAL ROLE, request.jwt.claims), runs the attempt, and the owner reads the outcome back.
/// </summary>
public static class ProofRunner
{
    /// <param name="connection">An open connection to the disposable database, as its owner.</param>
    /// <param name="setup">SQL the owner runs first: the proof's own rows.</param>
    /// <param name="role">The API role the attempt runs as (SET LOCAL ROLE).</param>
    /// <param name="userId">The made-up user's id in the JWT claims (its <c>sub</c>); null for anon.</param>
    /// <param name="attempt">The statement the API role tries.</param>
    /// <param name="readBack">A query the owner runs afterwards to see what the attempt did; null when the attempt's own result says it.</param>
    /// <param name="claims">The whole request.jwt.claims JSON, when more than the role and <c>sub</c> is needed.</param>
    /// <param name="relaxForeignKeys">Insert the setup rows with foreign keys and triggers off (superusers only; tried, not required).</param>
    /// <param name="headers">The HTTP request headers as PostgREST hands them to the database (request.headers, JSON), set by the caller: null for none.</param>
    /// <param name="cookies">The request's cookies as PostgREST hands them to the database (request.cookies, JSON): null for none.</param>
    /// <param name="followUps">Queries the same role runs after a successful attempt, each on its own (a failure does not stop the next): what the attempt opened up.</param>
    /// <param name="cancellationToken">Cancels the attempt; the transaction is rolled back either way.</param>
    public static async Task<ProofResult> RunAsync(
        NpgsqlConnection connection, string setup, string role, string? userId, string attempt, string? readBack = null,
        string? claims = null, bool relaxForeignKeys = false, string? headers = null, string? cookies = null, IReadOnlyList<string>? followUps = null,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "SET LOCAL statement_timeout = '10s'", cancellationToken).ConfigureAwait(false);
            string? setupError = null;
            if (!string.IsNullOrWhiteSpace(setup))
            {
                // The proof's rows need not satisfy foreign keys to rows it did not insert; only a superuser
                // may switch those checks off, so this is tried and left alone where it is refused.
                var relaxed = false;
                if (relaxForeignKeys)
                {
                    await ExecuteAsync(connection, "SAVEPOINT replica", cancellationToken).ConfigureAwait(false);
                    relaxed = await TryAsync(connection, "SET LOCAL session_replication_role = replica", cancellationToken).ConfigureAwait(false);
                    if (!relaxed)
                    {
                        await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT replica", cancellationToken).ConfigureAwait(false);
                    }
                }

                await ExecuteAsync(connection, "SAVEPOINT setup", cancellationToken).ConfigureAwait(false);
                try
                {
                    await ExecuteAsync(connection, setup, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    setupError = $"{e.SqlState}: {e.MessageText}";
                    await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT setup", cancellationToken).ConfigureAwait(false);
                }

                if (relaxed)
                {
                    await ExecuteAsync(connection, "SET LOCAL session_replication_role = origin", cancellationToken).ConfigureAwait(false);
                }
            }

            claims ??= JsonSerializer.Serialize(userId is null
                ? new Dictionary<string, string> { ["role"] = role }
                : new Dictionary<string, string> { ["role"] = role, ["sub"] = userId });
            await using (var switchRole = new NpgsqlCommand($"SET LOCAL ROLE {Database.Catalog.Sql.Identifier(role)}; SELECT set_config('request.jwt.claims', @claims, true), set_config('request.headers', @headers, true), set_config('request.cookies', @cookies, true)", connection))
            {
                switchRole.Parameters.AddWithValue("claims", claims);
                switchRole.Parameters.AddWithValue("headers", headers ?? "{}");
                switchRole.Parameters.AddWithValue("cookies", cookies ?? "{}");
                await switchRole.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var rows = new List<string>();
            var affected = 0;
            string? sqlState = null;
            string? error = null;
            await ExecuteAsync(connection, "SAVEPOINT attempt", cancellationToken).ConfigureAwait(false);
            try
            {
                await using var command = new NpgsqlCommand(attempt, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                do
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(reader.IsDBNull(0) ? "null" : reader.GetValue(0)?.ToString() ?? "void");
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

                affected = reader.RecordsAffected;
            }
            catch (PostgresException e)
            {
                (sqlState, error) = (e.SqlState, e.MessageText);
                await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT attempt", cancellationToken).ConfigureAwait(false);
            }

            var followed = new List<string>();
            foreach (var followUp in error is null ? followUps ?? [] : [])
            {
                await ExecuteAsync(connection, "SAVEPOINT follow_up", cancellationToken).ConfigureAwait(false);
                try
                {
                    await using var command = new NpgsqlCommand(followUp, connection);
                    var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    followed.Add(value is null or System.DBNull ? "null" : value.ToString() ?? "void");
                }
                catch (PostgresException e)
                {
                    followed.Add($"error {e.SqlState}: {e.MessageText}");
                    await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT follow_up", cancellationToken).ConfigureAwait(false);
                }
            }

            var after = new List<string>();
            if (readBack is not null)
            {
                await ExecuteAsync(connection, "RESET ROLE", cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(readBack, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    after.Add(reader.IsDBNull(0) ? "null" : reader.GetValue(0)?.ToString() ?? "void");
                }
            }

            return new ProofResult(rows, affected, sqlState, error, setupError, after) { FollowUps = followed };
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> TryAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }
}
