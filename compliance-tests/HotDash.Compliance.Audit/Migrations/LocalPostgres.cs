using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>The PostgreSQL server binaries are missing, or the server would not start; the message says which and how to fix it.</summary>
public sealed class DisposableServerException(string message) : Exception(message);

/// <summary>
/// A throwaway PostgreSQL server on 127.0.0.1, for the migrations audit: initdb into a fresh temporary
/// folder (trust authentication, loopback only, no fsync), start on a free port, and on dispose stop it and
/// delete the folder. The same mechanism as the repository's scripts/throwaway-postgres.sh. Binaries come
/// from the folder given (HOTDASH_PG_BIN, through the settings), the PATH, or /usr/lib/postgresql/*/bin (Debian's
/// `postgresql` package). Run as root,
/// the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;

    private LocalPostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string for the superuser this server was initialised with.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public static async Task<LocalPostgres> StartAsync(string? binaries, CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries(binaries);
        var directory = Path.Combine(Path.GetTempPath(), "hotdash-disposable-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres", directory], cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await RunAsServerOwnerAsync(asRoot, Path.Combine(bin, "initdb"), ["-D", Path.Combine(directory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], cancellationToken).ConfigureAwait(false);
            for (var attempt = 0; ; attempt++)
            {
                var port = FreePort();
                try
                {
                    await RunAsServerOwnerAsync(asRoot, Path.Combine(bin, "pg_ctl"),
                        ["-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
                         "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off", "start"],
                        cancellationToken).ConfigureAwait(false);
                    return new LocalPostgres(bin, directory, port);
                }
                catch (DisposableServerException) when (attempt < 2)
                {
                    // The port was taken between choosing and binding it: try another.
                }
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsServerOwnerAsync(Environment.UserName == "root", Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
        }
        catch (DisposableServerException)
        {
            // Already stopped; the folder goes either way.
        }

        TryDelete(_directory);
    }

    private static string FindBinaries(string? configured)
    {
        var candidates = new List<string>();
        if (configured is { Length: > 0 })
        {
            candidates.Add(configured);
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(directory);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .OrderByDescending(d => d, StringComparer.Ordinal));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new DisposableServerException(
                "no PostgreSQL server binaries (initdb, pg_ctl) found in HOTDASH_PG_BIN, the PATH or /usr/lib/postgresql/*/bin: " +
                "install Debian's 'postgresql' package (or your platform's), or give an existing disposable server as HOTDASH_DISPOSABLE_DATABASE_URL");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsServerOwnerAsync(bool asRoot, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], cancellationToken) : RunAsync(program, arguments, cancellationToken);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new DisposableServerException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new DisposableServerException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(3))} failed ({process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()} {(await output.ConfigureAwait(false)).Trim()}".Trim());
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
