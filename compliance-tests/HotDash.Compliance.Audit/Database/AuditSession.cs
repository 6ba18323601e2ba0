using System;
using System.Collections.Generic;
using System.Data;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HotDash.Compliance.Audit.Database;

/// <summary>The database could not be reached or refused the audit; the message names the host, never the password.</summary>
public sealed class DatabaseUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One read-only, repeatable-read transaction for the whole audit: every query sees the same snapshot,
/// nothing can be written, each statement is bounded by a timeout, and the number of round trips is
/// counted (it must not grow with the number of tables).
/// </summary>
public sealed class AuditSession : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _disposed;

    private AuditSession(DatabaseTarget target, NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction, int roundTrips)
    {
        _dataSource = dataSource;
        Target = target;
        _connection = connection;
        _transaction = transaction;
        RoundTrips = roundTrips;
    }

    public DatabaseTarget Target { get; }

    /// <summary>Server version, from the connection start-up (no query needed).</summary>
    public Version ServerVersion => _connection.PostgreSqlVersion;

    public int RoundTrips { get; private set; }

    public static async Task<AuditSession> OpenAsync(DatabaseTarget target, TimeSpan connectTimeout, TimeSpan statementTimeout, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString)
        {
            Timeout = Math.Max(1, (int)Math.Ceiling(connectTimeout.TotalSeconds)),
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(statementTimeout.TotalSeconds)) + 5,
            ApplicationName = target.Builder.ApplicationName ?? "hotdash-compliance-audit",
            Pooling = false,
        };

        // The audit reads only built-in types (text, bool, int, name and their arrays): loading the
        // database's own types would cost a fresh process a hidden round trip and its set-up.
        // The slim builder registers only the basic types (plus arrays), less to set up in a fresh process.
        var sourceBuilder = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        sourceBuilder.EnableArrays();
        sourceBuilder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        var dataSource = sourceBuilder.Build();
        var connection = dataSource.CreateConnection();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout + TimeSpan.FromSeconds(1));
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);

            // BEGIN is sent together with the first batch; READ ONLY makes any write fail, whatever
            // rights the role has.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = {(int)statementTimeout.TotalMilliseconds}"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL lock_timeout = 2000"));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new AuditSession(target, dataSource, connection, transaction, roundTrips: 2);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            await dataSource.DisposeAsync().ConfigureAwait(false);
            var cause = e is OperationCanceledException ? $"no answer within the connect timeout of {connectTimeout.TotalSeconds:0} s" : Describe(e);
            throw new DatabaseUnreachableException(target.Mask($"cannot audit {target.Display}: {cause}"), null);
        }
    }

    /// <summary>Runs one catalog query (one round trip) and maps each row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        parameters(command.Parameters);
        RoundTrips++;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseUnreachableException(Target.Mask($"a catalog query failed on {Target.Display}: {Describe(e)}"), null);
        }
    }

    /// <summary>Runs several catalog queries in one round trip; <paramref name="read"/> walks their result sets in order.</summary>
    public async Task BatchAsync(IReadOnlyList<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, Task> read, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        RoundTrips++;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await read(reader).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseUnreachableException(Target.Mask($"a catalog query failed on {Target.Display}: {Describe(e)}"), null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // Nothing was written; rolling back ends the snapshot.
            await _transaction.RollbackAsync().ConfigureAwait(false);
            RoundTrips++;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is going away anyway.
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static string Describe(Exception e)
    {
        var message = e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;
        return e.InnerException is { } inner && e is not PostgresException ? $"{message} ({inner.Message})" : message;
    }
}
