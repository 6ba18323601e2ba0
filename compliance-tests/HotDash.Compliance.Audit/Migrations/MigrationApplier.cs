using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>What applying the migrations did: the files applied, the statements skipped by the rules, and the failure that stopped it.</summary>
public sealed record MigrationsApplied(IReadOnlyList<string> Applied, IReadOnlyList<string> Skipped, Finding? Failure, int Total)
{
    public string Summary =>
        $"Migrations: {Applied.Count}/{Total} applied" +
        (Skipped.Count > 0 ? $"; {Skipped.Count} statement(s) skipped by the rules ({string.Join("; ", Skipped)})" : string.Empty) +
        (Failure is null ? string.Empty : $"; stopped at {Failure.Location}");
}

/// <summary>
/// Applies a Supabase project's migrations to a disposable database as the Supabase CLI does: every *.sql of
/// the folder in file-name order, each file as one unit (all of it or none), then the seed file. The first file
/// that fails stops the run with HD5013 at the file's line and column and PostgreSQL's own message. A CREATE
/// EXTENSION for an extension the server does not ship is skipped only when the rules say so, with a reason.
/// </summary>
public static partial class MigrationApplier
{
    public const string Concern = "migrations";

    public static async Task<MigrationsApplied> ApplyAsync(
        NpgsqlConnection connection, string folder, string? seed, string repoRoot, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            return new MigrationsApplied([], [], Fail(Relative(folder, repoRoot), 0, 0,
                $"The migrations folder {Relative(folder, repoRoot)} does not exist. Fix: point HOTDASH_MIGRATIONS at your supabase/migrations folder (relative to HOTDASH_REPO_ROOT).", []), 0);
        }

        var files = Directory.GetFiles(folder, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            // An empty folder, or the one above the migrations: "0/0 applied" would audit an empty database and pass.
            var below = Directory.EnumerateFiles(folder, "*.sql", SearchOption.AllDirectories)
                .Select(f => Relative(Path.GetDirectoryName(f)!, repoRoot)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(3).ToList();
            return new MigrationsApplied([], [], Fail(Relative(folder, repoRoot), 0, 0,
                $"The migrations folder {Relative(folder, repoRoot)} holds no migration (no *.sql file directly in it), so there is nothing to audit. " +
                (below.Count > 0 ? $"Migrations are in {string.Join(", ", below)}: point HOTDASH_MIGRATIONS there." : "Fix: point HOTDASH_MIGRATIONS at your supabase/migrations folder (relative to HOTDASH_REPO_ROOT)."),
                [$"looked for: {Relative(folder, repoRoot)}/*.sql"]), 0);
        }

        if (seed is not null)
        {
            files.Add(seed);
        }

        return await ApplyFilesAsync(connection, files, repoRoot, rules, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the files in the order given, each as one transaction, stopping at the first that fails.</summary>
    public static async Task<MigrationsApplied> ApplyFilesAsync(
        NpgsqlConnection connection, IReadOnlyList<string> files, string repoRoot, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var skips = rules.Database.Migrations.SkipExtensions.ToDictionary(s => s.Name, s => s.Reason, StringComparer.Ordinal);
        var applied = new List<string>();
        var skipped = new List<string>();
        foreach (var file in files)
        {
            var relative = Relative(file, repoRoot);
            if (!File.Exists(file))
            {
                return new MigrationsApplied(applied, skipped, Fail(relative, 0, 0, $"{relative} does not exist. Fix: correct HOTDASH_SEED (or the migrations folder), or unset it.", []), files.Count);
            }

            var failure = await ApplyFileAsync(connection, relative, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), skips, skipped, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return new MigrationsApplied(applied, skipped, failure, files.Count);
            }

            applied.Add(relative);
        }

        return new MigrationsApplied(applied, skipped, null, files.Count);
    }

    private static async Task<Finding?> ApplyFileAsync(
        NpgsqlConnection connection, string relative, string text, Dictionary<string, string> skips, List<string> skipped, CancellationToken cancellationToken)
    {
        // A file runs as one transaction, statement by statement (so a failure names its statement): a file
        // that fails leaves nothing behind, and can be run again with a skipped statement taken out. Its own
        // BEGIN/COMMIT are left to the enclosing transaction, as the Supabase CLI does.
        var statements = SqlScript.Split(text).Where(s => !TransactionControl().IsMatch(s.Text)).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var index = 0;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (; index < statements.Count; index++)
                {
                    // Names the statement for MigrationProvenance's event trigger (a transaction-local setting).
                    var (line, column) = TextPosition.Of(text, FirstToken(text, statements[index].Offset));
                    await using (var locate = new NpgsqlCommand($"SELECT pg_catalog.set_config('{MigrationProvenance.StatementSetting}', $1, true)", connection, transaction))
                    {
                        locate.Parameters.Add(new NpgsqlParameter { Value = $"{relative}:{line}:{column}" });
                        await locate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await using var command = new NpgsqlCommand(statements[index].Text, connection, transaction) { CommandTimeout = 300 };
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (PostgresException e)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                var statement = index < statements.Count ? statements[index] : new SqlStatement(string.Empty, text.Length);
                var (line, column) = TextPosition.Of(text, statement.Offset + (e.Position > 0 ? e.Position - 1 : 0));
                var extension = CreateExtension().Match(statement.Text);
                if (extension.Success && e.SqlState is "0A000" or "58P01" or "42704")
                {
                    var name = extension.Groups["name"].Value;
                    if (skips.TryGetValue(name, out var reason) && attempt < 100)
                    {
                        statements.RemoveAt(index);
                        skipped.Add($"{relative}:{line}: CREATE EXTENSION {name} ({reason})");
                        continue;
                    }

                    return Fail(relative, line, column,
                        $"{relative}:{line}:{column}: extension '{name}' is not installed on the disposable server ({e.MessageText}). " +
                        $"Fix: install it on the server the audit uses (HOTDASH_DISPOSABLE_DATABASE_URL, e.g. the one `supabase start` runs), or, if the audit may go on without it, declare it in the rules: " +
                        $"\"database\": {{ \"migrations\": {{ \"skipExtensions\": [{{ \"name\": \"{name}\", \"reason\": \"...\" }}] }} }} (what depends on it will fail in turn).",
                        [$"SQLSTATE {e.SqlState}", $"statement: {Shorten(statement.Text)}"]);
                }

                return Fail(relative, line, column,
                    $"{relative}:{line}:{column}: the migration does not apply: {e.MessageText}" +
                    (e.Hint is { Length: > 0 } hint ? $" Hint: {hint}" : string.Empty) +
                    " Fix the migration (later ones were not applied, and the database was not audited).",
                    [$"SQLSTATE {e.SqlState}", $"statement: {Shorten(statement.Text)}"]);
            }
        }
    }

    /// <summary>Where a statement's first token is: past the blank lines and comments that SqlScript keeps before it.</summary>
    private static int FirstToken(string text, int offset)
    {
        var at = offset;
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at]))
            {
                at++;
            }
            else if (string.CompareOrdinal(text, at, "--", 0, 2) == 0)
            {
                var end = text.IndexOf('\n', at);
                at = end < 0 ? text.Length : end + 1;
            }
            else if (string.CompareOrdinal(text, at, "/*", 0, 2) == 0)
            {
                var end = text.IndexOf("*/", at + 2, StringComparison.Ordinal);
                at = end < 0 ? text.Length : end + 2;
            }
            else
            {
                break;
            }
        }

        return at;
    }

    private static Finding Fail(string file, int line, int column, string message, IReadOnlyList<string> evidence) =>
        new(RuleIds.MigrationFailed, Severity.Error, Concern, Subject.Migration(file), line > 0 ? $"{file}:{line}:{column}" : file, message, evidence);

    private static string Relative(string path, string repoRoot) => Path.GetRelativePath(repoRoot, path).Replace('\\', '/');

    private static string Shorten(string statement)
    {
        var flat = string.Join(' ', statement.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }

    [GeneratedRegex(@"^\s*(?:BEGIN|COMMIT|END|START\s+TRANSACTION)(?:\s+(?:WORK|TRANSACTION))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionControl();

    [GeneratedRegex(@"^\s*(?:--[^\n]*\n\s*)*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?""?(?<name>[A-Za-z0-9_\-]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex CreateExtension();
}
