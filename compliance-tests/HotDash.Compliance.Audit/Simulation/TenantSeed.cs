using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using Npgsql;

namespace HotDash.Compliance.Audit.Simulation;

/// <summary>The two tenants of the simulation: user A (the victim) and user B (the other signed-in user).</summary>
internal enum Tenant
{
    A = 1,
    B = 2,
}

/// <summary>One row the seed plans or an attempt writes: a literal (with its cast) for each column it gives.</summary>
internal sealed record SeedRow(SeedTable Table, IReadOnlyDictionary<string, string> Values)
{
    public string Insert(string onConflict = " ON CONFLICT DO NOTHING")
    {
        if (Values.Count == 0)
        {
            return $"INSERT INTO {Table.QualifiedName} DEFAULT VALUES";
        }

        var overriding = Table.Columns.Any(c => c.IdentityAlways && Values.ContainsKey(c.Name)) ? " OVERRIDING SYSTEM VALUE" : string.Empty;
        return $"INSERT INTO {Table.QualifiedName} ({string.Join(", ", Values.Keys.Select(Sql.Identifier))}){overriding} VALUES ({string.Join(", ", Values.Values)}){onConflict}";
    }

    /// <summary>
    /// The condition that finds this row again: its primary key where the row gives every key column, else every
    /// column it gives that can be compared (json cannot).
    /// </summary>
    public string? Predicate
    {
        get
        {
            var columns = Table.PrimaryKey.Count > 0 && Table.PrimaryKey.All(Values.ContainsKey)
                ? Table.PrimaryKey
                : Values.Keys.Where(k => Table.Columns.First(c => c.Name == k).TypeName is not ("json" or "jsonb" or "xml" or "point")).ToList();
            return columns.Count == 0 ? null : string.Join(" AND ", columns.Select(c => $"{Sql.Identifier(c)} = {Values[c]}"));
        }
    }
}

/// <summary>A seeded row: the row, what the owner reads of it (to_jsonb), or why it could not be seeded.</summary>
internal sealed record SeededRow(SeedRow Row, JsonElement? Current, string? Error)
{
    public bool Seeded => Error is null && Current is not null;

    public string Predicate => Row.Predicate!;

    /// <summary>The value the owner reads in the column, as text (null for SQL NULL or a column not read).</summary>
    public string? CurrentText(string column) =>
        Current is { } row && row.TryGetProperty(column, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}

/// <summary>
/// Two tenants seeded from the catalog alone, committed in the disposable database (it is dropped after the run):
/// users A and B in auth.users, and for every table the simulation attacks, a row owned by each, with their parent
/// rows along foreign keys (the workspace, team or shop each belongs to) and each user's membership wherever a table
/// links users to a parent. Values: every column that references auth.users and every other uuid holds the tenant's
/// user id (that is how Supabase tables name their owner), a key column a value of the tenant's own, a column that
/// references another table the tenant's parent row, and a column that must be given a literal of its type.
/// </summary>
internal sealed class TenantSeed
{
    // Ids that differ from the first character on: real schemas derive names from a prefix of the user id (a personal
    // workspace 'personal-' || substr(id, 1, 8)), and the proofs' own users (ExposureProver) must not collide with them.
    public const string UserA = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    public const string UserB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

    /// <summary>The id of rows an attempt writes (a key of their own, never a seeded row's).</summary>
    public const string AttackId = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

    /// <summary>The number user A's rows carry in integer key columns (B's: 1000002; an attempt's new row: 1000003).</summary>
    public const string NumberA = "1000001";

    private readonly IReadOnlyDictionary<string, SeedTable> _tables;
    private readonly Dictionary<(string, Tenant), SeededRow> _rows = [];

    private TenantSeed(IReadOnlyDictionary<string, SeedTable> tables, IReadOnlyList<SeedTable> order)
    {
        _tables = tables;
        Order = order;
        UserTables = tables.Values.Where(t => t.KeyedByUser).Select(t => t.Key).Append("auth.users").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>auth.users and the tables with one row per user (their key is the user's id): what owner columns reference.</summary>
    public IReadOnlySet<string> UserTables { get; }

    public IReadOnlyList<string> UserColumns(SeedTable table) => table.UserColumns(UserTables);

    /// <summary>The tables seeded, parents first.</summary>
    public IReadOnlyList<SeedTable> Order { get; }

    public static string UserOf(Tenant tenant) => tenant == Tenant.A ? UserA : UserB;

    public SeedTable? Table(string schema, string name) => _tables.GetValueOrDefault($"{schema}.{name}");

    public SeededRow? RowOf(SeedTable table, Tenant tenant) => _rows.GetValueOrDefault((table.Key, tenant));

    /// <summary>Seeds both tenants for the given tables (and everything they reference), committed.</summary>
    public static async Task<TenantSeed> SeedAsync(NpgsqlConnection connection, IEnumerable<(string Schema, string Name)> targets, CancellationToken cancellationToken)
    {
        var tables = await TenantSchema.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var order = new List<SeedTable>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(SeedTable table)
        {
            if (!visiting.Add(table.Key))
            {
                return;
            }

            foreach (var key in table.ForeignKeys)
            {
                if (tables.TryGetValue(key.Referenced, out var parent))
                {
                    Visit(parent);
                }
            }

            order.Add(table);
        }

        if (tables.TryGetValue("auth.users", out var users))
        {
            Visit(users);
        }

        foreach (var (schema, name) in targets)
        {
            if (tables.TryGetValue($"{schema}.{name}", out var table))
            {
                Visit(table);
            }
        }

        var seed = new TenantSeed(tables, order);
        var superuser = await ScalarAsync(connection, "SELECT rolsuper::text FROM pg_catalog.pg_roles WHERE rolname = current_user", cancellationToken).ConfigureAwait(false) == "true";
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var tenant in new[] { Tenant.A, Tenant.B })
        {
            foreach (var table in order)
            {
                // A row the platform's own triggers made for the new user (a profile, a personal workspace and its
                // owner membership) is the tenant's: the app's helpers and policies know it, so it is attacked as is.
                if (await AdoptAsync(connection, table, seed.UserColumns(table), UserOf(tenant), cancellationToken).ConfigureAwait(false) is { } adopted)
                {
                    seed._rows[(table.Key, tenant)] = adopted;
                    continue;
                }

                var row = seed.Plan(table, UserOf(tenant), tenant, fresh: false);
                var error = await TryAsync(connection, row.Insert(), cancellationToken).ConfigureAwait(false);
                if (error is not null && superuser)
                {
                    // A trigger or a key to a row outside the seed refused it: the row goes in as the platform would
                    // restore it (triggers and foreign keys off), and the simulation says so where it matters.
                    var relaxed = await TryAsync(connection, $"SET LOCAL session_replication_role = replica; {row.Insert()}; SET LOCAL session_replication_role = origin", cancellationToken).ConfigureAwait(false);
                    await TryAsync(connection, "SET LOCAL session_replication_role = origin", cancellationToken).ConfigureAwait(false);
                    error = relaxed is null ? null : error;
                }

                seed._rows[(table.Key, tenant)] = new SeededRow(row, null, error);
            }
        }

        foreach (var key in seed._rows.Keys.ToList())
        {
            var seeded = seed._rows[key];
            if (seeded.Error is not null || seeded.Current is not null)
            {
                continue;
            }

            var predicate = seeded.Row.Predicate;
            var current = predicate is null ? null : await ScalarAsync(connection, $"SELECT to_jsonb(x)::text FROM {seeded.Row.Table.QualifiedName} x WHERE {predicate} LIMIT 1", cancellationToken).ConfigureAwait(false);
            seed._rows[key] = current is null
                ? seeded with { Error = predicate is null ? "the row has no column to find it by" : "another row holds its keys, or a trigger removed it" }
                : seeded with { Current = JsonDocument.Parse(current).RootElement.Clone() };
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return seed;
    }

    /// <summary>
    /// A row of the table for the given owner, its parents the <paramref name="parents"/> tenant's; with
    /// <paramref name="fresh"/>, key columns of its own (an attempt's new row), never a seeded row's.
    /// </summary>
    public SeedRow Plan(SeedTable table, string owner, Tenant parents, bool fresh, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = fresh ? 3 : (int)parents;
        foreach (var column in table.Columns.Where(c => !c.Generated))
        {
            if (overrides is not null && overrides.TryGetValue(column.Name, out var forced))
            {
                values[column.Name] = forced;
                continue;
            }

            var value = ForeignValue(table, column, owner, parents) ?? OwnValue(table, column, owner, index, fresh);
            if (value is not null)
            {
                values[column.Name] = value;
            }
        }

        return new SeedRow(table, values);
    }

    /// <summary>The value a referencing column takes: the owner for auth.users, the parent row's key otherwise.</summary>
    private string? ForeignValue(SeedTable table, SeedColumn column, string owner, Tenant parents)
    {
        var key = table.ForeignKeys.FirstOrDefault(k => k.Columns.Contains(column.Name));
        if (key is null)
        {
            return null;
        }

        if (UserTables.Contains(key.Referenced))
        {
            // auth.users, or a table keyed by the user's id (profiles): the row's owner.
            return $"{Sql.Literal(owner)}::{column.Type}";
        }

        var position = key.Columns.ToList().IndexOf(column.Name);
        var referenced = key.ReferencedColumns[position];
        if (key.Referenced == table.Key)
        {
            // A row's parent in its own table (a tree): the seeded rows are roots.
            return column.Required ? Literal(column, owner, 1, key: false) : null;
        }

        return _rows.TryGetValue((key.Referenced, parents), out var parent) && parent.Row.Values.TryGetValue(referenced, out var parentValue)
            ? parentValue
            : column.Required ? Literal(column, owner, 1, key: false) : null;
    }

    private static string? OwnValue(SeedTable table, SeedColumn column, string owner, int index, bool fresh)
    {
        var key = table.IsKeyColumn(column.Name);
        if (table.Key == "auth.users")
        {
            // Supabase Auth's own columns, as a sign-up fills them (triggers on new users read the metadata).
            var letter = index == 1 ? "a" : index == 2 ? "b" : "c";
            switch (column.Name)
            {
                case "email": return $"'user-{letter}@hotdash.test'::{column.Type}";
                case "aud" or "role": return $"'authenticated'::{column.Type}";
                case "raw_user_meta_data": return $"'{{\"full_name\": \"User {letter.ToUpperInvariant()}\", \"name\": \"User {letter.ToUpperInvariant()}\", \"username\": \"user_{letter}\", \"avatar_url\": \"\"}}'::{column.Type}";
                case "raw_app_meta_data": return $"'{{\"provider\": \"email\", \"providers\": [\"email\"]}}'::{column.Type}";
            }
        }

        if (column.TypeName == "uuid")
        {
            return $"{Sql.Literal(key && fresh ? AttackId : owner)}::{column.Type}";
        }

        return key || column.Required ? Literal(column, owner, index, key) : null;
    }

    /// <summary>A literal of the column's type (by PostgreSQL's type category); key columns get the tenant's own value.</summary>
    public static string Literal(SeedColumn column, string owner, int index, bool key)
    {
        var letter = index == 1 ? "a" : index == 2 ? "b" : "c";
        if (column.Allowed.Count > 0)
        {
            return $"{Sql.Literal(column.Allowed[key ? (index - 1) % column.Allowed.Count : 0])}::{column.Type}";
        }

        var value = column.TypeName switch
        {
            "uuid" => Sql.Literal(owner),
            "json" or "jsonb" => "'{}'",
            "bytea" => "'\\x00'",
            "tsvector" => "''",
            _ => column.Category switch
            {
                'S' when column.Name.Contains("email", StringComparison.OrdinalIgnoreCase) => Sql.Literal($"user-{letter}@hotdash.test"),
                'S' => key ? Sql.Literal($"hotdash-{letter}") : "'hotdash-seed'",
                'N' => key ? (1000000 + index).ToString(CultureInfo.InvariantCulture) : "1",
                'B' => "true",
                'D' => key ? $"(now() - interval '{index} minutes')" : "now()",
                'T' => "'1 day'",
                'E' => Sql.Literal(column.EnumLabels.Count == 0 ? string.Empty : column.EnumLabels[key ? Math.Min(index, column.EnumLabels.Count) - 1 : 0]),
                'A' => "'{}'",
                'I' => "'127.0.0.1'",
                _ => "NULL",
            },
        };
        return $"{value}::{column.Type}";
    }

    /// <summary>
    /// A query the owner runs after an attempt: one row "schema.table:md5" for each of user A's seeded rows
    /// ("schema.table:gone" when it is gone), so that any change an attempt made to A's data shows.
    /// </summary>
    public string Fingerprint() =>
        string.Join(" UNION ALL ", _rows.Where(r => r.Key.Item2 == Tenant.A && r.Value.Seeded).Select(r =>
            $"SELECT {Sql.Literal(r.Key.Item1)} || ':' || coalesce((SELECT md5(string_agg(x::text, ',')) FROM {r.Value.Row.Table.QualifiedName} x WHERE {r.Value.Predicate}), 'gone')"));

    /// <summary>The row of the table that already names the user (made by a trigger when the user was inserted), or null.</summary>
    private static async Task<SeededRow?> AdoptAsync(NpgsqlConnection connection, SeedTable table, IReadOnlyList<string> userColumns, string user, CancellationToken cancellationToken)
    {
        var columns = table.KeyedByUser ? table.PrimaryKey : userColumns;
        if (table.Key == "auth.users" || columns.Count == 0)
        {
            return null;
        }

        var condition = string.Join(" OR ", columns.Select(c => $"{Sql.Identifier(c)}::text = {Sql.Literal(user)}"));
        var json = await ScalarAsync(connection, $"SELECT to_jsonb(x)::text FROM {table.QualifiedName} x WHERE {condition} LIMIT 1", cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        var current = JsonDocument.Parse(json).RootElement.Clone();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in table.Columns.Where(c => !c.Generated))
        {
            if (current.TryGetProperty(column.Name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                var text = value.ValueKind == JsonValueKind.String ? Sql.Literal(value.GetString()!) : value.GetRawText();
                values[column.Name] = $"{text}::{column.Type}";
            }
        }

        return new SeededRow(new SeedRow(table, values), current, null);
    }

    private static async Task<string?> TryAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using (var savepoint = new NpgsqlCommand("SAVEPOINT seed", connection))
        {
            await savepoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (PostgresException e)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT seed", connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return $"{e.SqlState}: {e.MessageText}";
        }
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
