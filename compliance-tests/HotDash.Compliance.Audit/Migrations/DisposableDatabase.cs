using System;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>
/// Where a disposable database is created: the server the user declares disposable (HOTDASH_DISPOSABLE_DATABASE_URL),
/// or, when there is none, a throwaway local server from the PostgreSQL binaries in <paramref name="PostgresBin"/>
/// (HOTDASH_PG_BIN; else the PATH and /usr/lib/postgresql/*/bin).
/// </summary>
public sealed record DisposableServer(string? Url, string? PostgresBin);

/// <summary>
/// A database the audit created itself, in a throwaway local server or in a server the user declared
/// disposable (HOTDASH_DISPOSABLE_DATABASE_URL). Only such a database is ever written to: migrations are
/// applied to it, and exposures are proved in it inside transactions that are rolled back. Its comment marks
/// it as the audit's own (<see cref="Marker"/>); the prover refuses any database without that mark. Disposing
/// drops it (and stops the local server).
/// </summary>
public sealed class DisposableDatabase : IAsyncDisposable
{
    public const string Marker = "hotdash-compliance disposable database";

    private readonly LocalPostgres? _server;
    private readonly NpgsqlConnectionStringBuilder _admin;

    private DisposableDatabase(LocalPostgres? server, NpgsqlConnectionStringBuilder admin, string name, string origin)
    {
        _server = server;
        _admin = admin;
        Name = name;
        Origin = origin;
    }

    public string Name { get; }

    /// <summary>Where it lives, without a password: "a throwaway server on 127.0.0.1:5433" or the declared server.</summary>
    public string Origin { get; }

    /// <summary>A connection string to this database, as the role that created it.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = Name, Pooling = false }.ConnectionString;

    /// <summary>A target for the read-only audit session, as users write HOTDASH_DATABASE_URL.</summary>
    public DatabaseTarget Target => DatabaseTarget.Parse(ConnectionString);

    /// <summary>Creates a fresh database: in the declared disposable server when there is one, else in a throwaway local server.</summary>
    public static async Task<DisposableDatabase> CreateAsync(DisposableServer disposable, CancellationToken cancellationToken = default)
    {
        LocalPostgres? server = null;
        NpgsqlConnectionStringBuilder admin;
        string origin;
        if (disposable.Url is not { } disposableServerUrl)
        {
            server = await LocalPostgres.StartAsync(disposable.PostgresBin, cancellationToken).ConfigureAwait(false);
            admin = new NpgsqlConnectionStringBuilder(server.ConnectionString("postgres"));
            origin = $"a throwaway PostgreSQL on 127.0.0.1:{server.Port}";
        }
        else
        {
            var target = DatabaseTarget.Parse(disposableServerUrl);
            admin = new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString) { Pooling = false };
            origin = $"the disposable server {target.Display} (HOTDASH_DISPOSABLE_DATABASE_URL)";
        }

        var name = "hotdash_migrations_" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = $"COMMENT ON DATABASE {name} IS '{Marker}'";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            var message = e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;
            throw new DisposableServerException($"cannot create a database in {origin}: {(admin.Password is { Length: > 0 } p ? message.Replace(p, "***", StringComparison.Ordinal) : message)}");
        }

        return new DisposableDatabase(server, admin, name, origin);
    }

    /// <summary>
    /// Refuses, with a clear message, any database that does not carry the mark of one this audit created:
    /// proofs write (inside rolled-back transactions), and that is only for databases nobody else uses.
    /// </summary>
    public static async Task EnsureDisposableAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database WHERE datname = current_database()", connection);
        var comment = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        if (comment != Marker)
        {
            throw new InvalidOperationException(
                $"refusing to prove exposures in database '{connection.Database}' on {connection.Host}:{connection.Port}: the audit did not create it " +
                "(proofs write inside rolled-back transactions, so they run only in a database the migrations audit created; " +
                "give a server for such databases as HOTDASH_DISPOSABLE_DATABASE_URL, never HOTDASH_DATABASE_URL)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            // The whole throwaway server goes, with its folder.
            await _server.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(_admin.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The declared server is unreachable now: nothing more can be done from here.
        }
    }
}
