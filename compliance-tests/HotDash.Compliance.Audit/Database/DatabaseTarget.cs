using System;
using System.Collections.Generic;
using System.Linq;
using Npgsql;

namespace HotDash.Compliance.Audit.Database;

/// <summary>The configuration value is not a usable PostgreSQL connection string or URI.</summary>
public sealed class DatabaseTargetException(string message) : Exception(message);

/// <summary>
/// The database to audit, from HOTDASH_DATABASE_URL: a postgres:// URI (as Supabase and Fly print them)
/// or an Npgsql connection string. It never shows its password: <see cref="Display"/> leaves it out and
/// <see cref="Mask"/> scrubs it from any text (exception messages included).
/// </summary>
public sealed class DatabaseTarget
{
    private readonly string? _password;

    private DatabaseTarget(NpgsqlConnectionStringBuilder builder)
    {
        Builder = builder;
        _password = string.IsNullOrEmpty(builder.Password) ? null : builder.Password;
        Hosts = (builder.Host ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.Contains(':', StringComparison.Ordinal) && !h.StartsWith('[') && h.Count(c => c == ':') == 1 ? h[..h.IndexOf(':', StringComparison.Ordinal)] : h.Trim('[', ']'))
            .ToArray();
    }

    public NpgsqlConnectionStringBuilder Builder { get; }

    public IReadOnlyList<string> Hosts { get; }

    public string Database => Builder.Database ?? Builder.Username ?? "postgres";

    /// <summary>postgres://user@host:port/database, without the password.</summary>
    public string Display => $"postgres://{(Builder.Username is { } user ? Uri.EscapeDataString(user) + "@" : string.Empty)}{Builder.Host}:{Builder.Port}/{Database}";

    public static DatabaseTarget Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseTarget(FromUri(value));
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new DatabaseTargetException("the connection string names no Host");
            }

            return new DatabaseTarget(builder);
        }
        catch (ArgumentException e)
        {
            // The message names the offending keyword, never its value.
            throw new DatabaseTargetException($"not a valid Npgsql connection string or postgres:// URI: {e.Message}");
        }
    }

    /// <summary>Replaces the password wherever it appears in <paramref name="text"/>.</summary>
    public string Mask(string text)
    {
        if (_password is null || text.Length == 0)
        {
            return text;
        }

        return text.Replace(_password, "****", StringComparison.Ordinal)
                   .Replace(Uri.EscapeDataString(_password), "****", StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder FromUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new DatabaseTargetException("not a valid postgres:// URI: expected postgres://user:password@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']'), Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var parameter = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = parameter.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new DatabaseTargetException($"sslmode '{parameter}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                case "application_name":
                    builder.ApplicationName = parameter;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(parameter, out var seconds) ? seconds : builder.Timeout;
                    break;
                default:
                    // Other libpq parameters (pgbouncer=true, options, ...) do not change what is audited.
                    break;
            }
        }

        return builder;
    }
}
