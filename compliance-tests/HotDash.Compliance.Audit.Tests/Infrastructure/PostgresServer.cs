using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL server on 127.0.0.1 (scripts/throwaway-postgres.sh; as the postgres
/// user when the tests run as root), one per test class. Fixture SQL runs as the superuser; the
/// audits under test connect as whoever the test says.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static int _databaseCounter;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotdash-pg-" + Guid.NewGuid().ToString("N")[..10]);

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var output = await Script("start", _directory);
        Port = int.Parse(output.Trim().Split('\n')[^1]);
    }

    public async Task DisposeAsync() => await Script("stop", _directory);

    /// <summary>A libpq-style URI, as users put it into HOTDASH_DATABASE_URL.</summary>
    public string Url(string database, string user = "postgres", string? password = null) =>
        $"postgres://{Uri.EscapeDataString(user)}{(password is null ? string.Empty : ":" + Uri.EscapeDataString(password))}@127.0.0.1:{Port}/{database}";

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

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

    private static async Task<string> Script(string verb, string directory)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.PathOf("scripts", "throwaway-postgres.sh"));
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"throwaway-postgres.sh {verb} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
