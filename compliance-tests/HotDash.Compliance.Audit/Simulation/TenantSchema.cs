using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using Npgsql;

namespace HotDash.Compliance.Audit.Simulation;

/// <summary>A column as the seed needs it: its type (for a literal), whether it must be given, and its enum labels.</summary>
internal sealed record SeedColumn(string Name, string Type, string TypeName, char Category, bool NotNull, bool HasDefault, bool IdentityAlways, bool Generated, IReadOnlyList<string> EnumLabels)
{
    /// <summary>The values a CHECK constraint allows the column (col IN ('a', 'b'), col = ANY (ARRAY[...]), col = 'a'), as text; empty when none says.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>NOT NULL without a default the server fills in.</summary>
    public bool Required => NotNull && !HasDefault && !Generated;
}

/// <summary>A foreign key: these columns of the table reference those of schema.table.</summary>
internal sealed record SeedForeignKey(IReadOnlyList<string> Columns, string Schema, string Table, IReadOnlyList<string> ReferencedColumns)
{
    public string Referenced => $"{Schema}.{Table}";
}

/// <summary>A table of the disposable database: columns, primary and unique keys, foreign keys.</summary>
internal sealed record SeedTable(string Schema, string Name, IReadOnlyList<SeedColumn> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlyList<IReadOnlyList<string>> UniqueKeys, IReadOnlyList<SeedForeignKey> ForeignKeys)
{
    public string Key => $"{Schema}.{Name}";

    public string QualifiedName => $"{Sql.Identifier(Schema)}.{Sql.Identifier(Name)}";

    public bool IsKeyColumn(string column) => PrimaryKey.Contains(column) || UniqueKeys.Any(k => k.Contains(column));

    /// <summary>
    /// The columns that name a user: those that reference a user table (auth.users, or a table whose primary key is a
    /// user's id, such as profiles), and uuid columns that are no key and reference nothing.
    /// </summary>
    public IReadOnlyList<string> UserColumns(IReadOnlySet<string> userTables) =>
        Columns.Where(c => ForeignKeys.Any(k => userTables.Contains(k.Referenced) && k.Columns.Contains(c.Name))
                           || (c.TypeName == "uuid" && !IsKeyColumn(c.Name) && !ForeignKeys.Any(k => k.Columns.Contains(c.Name))))
            .Select(c => c.Name)
            .ToList();

    /// <summary>Whether the primary key is one column that references auth.users: one row per user (profiles).</summary>
    public bool KeyedByUser => PrimaryKey.Count == 1 && ForeignKeys.Any(k => k.Referenced == "auth.users" && k.Columns.SequenceEqual(PrimaryKey));
}

/// <summary>
/// Reads the shape of every table of a disposable database in three queries (columns, keys, foreign keys): what
/// the attack simulation needs to seed two tenants from the catalog alone.
/// </summary>
internal static class TenantSchema
{
    private const string SystemSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    private static readonly string ColumnsQuery = $"""
        SELECT n.nspname::text, c.relname::text, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), t.typname::text, t.typcategory::text,
               a.attnotnull, a.atthasdef OR a.attidentity <> '', a.attidentity = 'a', a.attgenerated <> '',
               coalesce((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = a.atttypid), ARRAY[]::text[])
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND {SystemSchemas}
         ORDER BY n.nspname, c.relname, a.attnum
        """;

    private static readonly string KeysQuery = $"""
        SELECT n.nspname::text, c.relname::text, k.contype::text,
               (SELECT array_agg(a.attname::text ORDER BY x.o) FROM unnest(k.conkey) WITH ORDINALITY x(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.n),
               fn.nspname::text, fc.relname::text,
               (SELECT array_agg(a.attname::text ORDER BY x.o) FROM unnest(k.confkey) WITH ORDINALITY x(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.n)
          FROM pg_catalog.pg_constraint k
          JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_catalog.pg_class fc ON fc.oid = k.confrelid
          LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
         WHERE k.contype IN ('p', 'u', 'f') AND c.relkind IN ('r', 'p') AND {SystemSchemas}
        UNION ALL
        SELECT n.nspname::text, c.relname::text, 'c',
               (SELECT array_agg(a.attname::text) FROM unnest(k.conkey) x(n) JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.n),
               pg_catalog.pg_get_constraintdef(k.oid), NULL, NULL
          FROM pg_catalog.pg_constraint k
          JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE k.contype = 'c' AND cardinality(k.conkey) = 1 AND c.relkind IN ('r', 'p') AND {SystemSchemas}
        UNION ALL
        SELECT n.nspname::text, c.relname::text, 'u',
               (SELECT array_agg(a.attname::text ORDER BY x.o) FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.n),
               NULL, NULL, NULL
          FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND 0 <> ALL (i.indkey::int2[])
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid) AND {SystemSchemas}
        """;

    /// <summary>
    /// The string constants a one-column CHECK constraint as PostgreSQL deparses it compares the column with for
    /// equality: CHECK ((type = ANY (ARRAY['checking'::text, 'savings'::text]))), CHECK ((status = 'open'::text)).
    /// Anything else (&lt;&gt;, NOT IN, length(...)) says nothing about a value that passes.
    /// </summary>
    public static IReadOnlyList<string> AllowedValues(string column, string definition)
    {
        var match = System.Text.RegularExpressions.Regex.Match(definition,
            $@"\(*""?{System.Text.RegularExpressions.Regex.Escape(column)}""?\)?(?:::[\w ]+)?\s*=\s*(?:ANY\s*\(\(?ARRAY\[)?((?:'(?:[^']|'')*'(?:::[\w ]+)?(?:,\s*)?)+)",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success && !definition.Contains("NOT ", StringComparison.Ordinal) && !definition.Contains(" OR ", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Matches(match.Groups[1].Value, "'((?:[^']|'')*)'").Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).ToList()
            : [];
    }

    public static async Task<IReadOnlyDictionary<string, SeedTable>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<(string, string), List<SeedColumn>>();
        await using (var command = new NpgsqlCommand(ColumnsQuery, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!columns.TryGetValue(key, out var list))
                {
                    columns[key] = list = [];
                }

                list.Add(new SeedColumn(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)[0],
                    reader.GetBoolean(6), reader.GetBoolean(7), reader.GetBoolean(8), reader.GetBoolean(9), reader.GetFieldValue<string[]>(10)));
            }
        }

        var primary = new Dictionary<(string, string), IReadOnlyList<string>>();
        var unique = new Dictionary<(string, string), List<IReadOnlyList<string>>>();
        var foreign = new Dictionary<(string, string), List<SeedForeignKey>>();
        var allowed = new Dictionary<(string, string, string), IReadOnlyList<string>>();
        await using (var command = new NpgsqlCommand(KeysQuery, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (reader.IsDBNull(3))
                {
                    continue;
                }

                var keyColumns = reader.GetFieldValue<string[]>(3);
                switch (reader.GetString(2))
                {
                    case "p":
                        primary[key] = keyColumns;
                        break;
                    case "u":
                        (unique.TryGetValue(key, out var list) ? list : unique[key] = []).Add(keyColumns);
                        break;
                    case "c" when !reader.IsDBNull(4) && AllowedValues(keyColumns[0], reader.GetString(4)) is { Count: > 0 } values:
                        allowed[(key.Item1, key.Item2, keyColumns[0])] = values;
                        break;
                    case "f" when !reader.IsDBNull(4) && !reader.IsDBNull(6):
                        (foreign.TryGetValue(key, out var keys) ? keys : foreign[key] = [])
                            .Add(new SeedForeignKey(keyColumns, reader.GetString(4), reader.GetString(5), reader.GetFieldValue<string[]>(6)));
                        break;
                }
            }
        }

        return columns.ToDictionary(
            c => $"{c.Key.Item1}.{c.Key.Item2}",
            c => new SeedTable(c.Key.Item1, c.Key.Item2, c.Value.Select(column => allowed.TryGetValue((c.Key.Item1, c.Key.Item2, column.Name), out var values) ? column with { Allowed = values } : column).ToList(), primary.GetValueOrDefault(c.Key) ?? [], unique.GetValueOrDefault(c.Key) ?? [], foreign.GetValueOrDefault(c.Key) ?? []),
            StringComparer.Ordinal);
    }
}
