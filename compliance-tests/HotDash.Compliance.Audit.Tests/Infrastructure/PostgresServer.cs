using System;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Settings;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL server on 127.0.0.1 (the engine's own <see cref="LocalPostgres"/>, the one
/// the migrations audit starts; as the postgres user when the tests run as root), one per test class. Fixture SQL runs as the superuser; the
/// audits under test connect as whoever the test says.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static int _databaseCounter;
    private LocalPostgres? _server;

    public int Port => _server?.Port ?? throw new InvalidOperationException("the server has not started");

    public async ValueTask InitializeAsync() => _server = await LocalPostgres.StartAsync(AuditSettings.FromEnvironment().PostgresBin);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A libpq-style URI, as users put it into HOTDASH_DATABASE_URL.</summary>
    public string Url(string database, string user = "postgres", string? password = null) =>
        $"postgres://{Uri.EscapeDataString(user)}{(password is null ? string.Empty : ":" + Uri.EscapeDataString(password))}@127.0.0.1:{Port}/{database}";

    public string ConnectionString(string database) =>
        (_server ?? throw new InvalidOperationException("the server has not started")).ConnectionString(database);

    /// <summary>Creates a fresh database, runs the fixture SQL in it, and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string sql)
    {
        var name = "audit_" + Interlocked.Increment(ref _databaseCounter) + "_" + Guid.NewGuid().ToString("N")[..6];
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        if (!string.IsNullOrWhiteSpace(sql))
        {
            await ExecuteAsync(name, sql);
        }

        return name;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
