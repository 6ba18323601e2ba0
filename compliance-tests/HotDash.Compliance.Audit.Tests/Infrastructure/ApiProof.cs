using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>What happened when a statement ran as an API role: the rows it returned, how many it changed, or PostgreSQL's refusal.</summary>
internal sealed record ProofResult(IReadOnlyList<string> Rows, int Affected, string? Error, IReadOnlyList<string> After);

/// <summary>
/// Proves a verdict by doing it, as PostgREST would: in one transaction that is always rolled back, the
/// rows the proof needs are inserted (as the database owner), then the role switches to the API role with
/// a made-up user's JWT claims (SET LOCAL ROLE, request.jwt.claims), runs the attempt, and the owner reads
/// the outcome back.
/// </summary>
internal static class ApiProof
{
    public static async Task<ProofResult> RunAsync(PostgresServer server, string database, string setup, string role, string? userId, string attempt, string? readBack = null, bool keepClaims = false)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            if (!string.IsNullOrWhiteSpace(setup))
            {
                await Execute(connection, setup);
            }

            var claims = JsonSerializer.Serialize(userId is null ? new Dictionary<string, string> { ["role"] = role } : new Dictionary<string, string> { ["role"] = role, ["sub"] = userId });
            // keepClaims: the setup already set fuller claims (user_metadata and the like) for this user.
            await Execute(connection, keepClaims ? $"SET LOCAL ROLE {role};" : $"SET LOCAL ROLE {role}; SELECT set_config('request.jwt.claims', '{claims}', true);");
            var rows = new List<string>();
            int affected;
            string? error = null;
            await Execute(connection, "SAVEPOINT attempt");
            try
            {
                await using var command = new NpgsqlCommand(attempt, connection);
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    do
                    {
                        while (await reader.ReadAsync())
                        {
                            rows.Add(reader.IsDBNull(0) ? "null" : reader.GetValue(0)?.ToString() ?? "void");
                        }
                    }
                    while (await reader.NextResultAsync());

                    affected = reader.RecordsAffected;
                }
            }
            catch (PostgresException e)
            {
                error = e.MessageText;
                affected = 0;
                await Execute(connection, "ROLLBACK TO SAVEPOINT attempt");
            }

            var after = new List<string>();
            if (readBack is not null)
            {
                await Execute(connection, "RESET ROLE");
                await using var command = new NpgsqlCommand(readBack, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    after.Add(reader.IsDBNull(0) ? "null" : reader.GetValue(0).ToString()!);
                }
            }

            return new ProofResult(rows, affected, error, after);
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
