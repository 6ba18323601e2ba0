using System.Threading.Tasks;
using HotDash.Compliance.Audit.Migrations;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// Proves a verdict by doing it as the API role (the engine's <see cref="ProofRunner"/>: one transaction,
/// always rolled back; the proof's rows inserted as the owner, then SET LOCAL ROLE and request.jwt.claims for
/// a made-up user, the attempt, and the owner reading the outcome back).
/// </summary>
internal static class ApiProof
{
    public static async Task<ProofResult> RunAsync(
        PostgresServer server, string database, string setup, string role, string? userId, string attempt, string? readBack = null, string? claims = null, string? headers = null)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync();
        var result = await ProofRunner.RunAsync(connection, setup, role, userId, attempt, readBack, claims, headers: headers);
        result.SetupError.Should().BeNull("the proof's own rows must go in");
        return result;
    }
}
