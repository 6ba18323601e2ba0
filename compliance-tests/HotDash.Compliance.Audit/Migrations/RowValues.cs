using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>
/// Values for the proofs' own rows and calls, from the catalog: a literal of the right type for every
/// column that must be given (NOT NULL, no default, not generated), and for every argument of a function.
/// Every uuid is user A's id, so a row the proof inserts is user A's by any owner column.
/// </summary>
internal static class RowValues
{
    private const string ColumnsQuery = """
        SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), t.typname::text, t.typcategory::text,
               a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '' AS required,
               a.attgenerated = '' AND a.attidentity <> 'a' AS writable,
               (SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1),
               pg_catalog.has_column_privilege(coalesce(@role, current_user::text), a.attrelid, a.attnum, 'UPDATE'),
               EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                        WHERE k.conrelid = a.attrelid AND a.attnum = ANY (k.conkey) AND k.contype IN ('f', 'p', 'u', 'c', 'x')),
               a.attidentity = 'a', a.attgenerated <> ''
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = @name)
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
        """;

    private const string ArgumentsQuery = """
        SELECT pg_catalog.format_type(a.type, NULL), t.typname::text, t.typcategory::text,
               (SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = a.type ORDER BY e.enumsortorder LIMIT 1)
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
          CROSS JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(type, position)
          JOIN pg_catalog.pg_type t ON t.oid = a.type
         WHERE n.nspname = @schema AND p.proname = @name AND pg_catalog.pg_get_function_identity_arguments(p.oid) = @arguments
         ORDER BY a.position
        """;

    private const string ForeignKeysQuery = """
        SELECT a.attname::text, pn.nspname::text, pc.relname::text, pa.attname::text
          FROM pg_catalog.pg_constraint k
          JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
          JOIN pg_catalog.pg_class pc ON pc.oid = k.confrelid
          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
          JOIN pg_catalog.pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
         WHERE k.contype = 'f' AND cardinality(k.conkey) = 1
           AND k.conrelid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = @name)
        """;

    /// <summary>
    /// INSERT INTO the table, with a value for every column that must be given, preceded by the rows its
    /// single-column foreign keys point to (the same values, recursively, a few levels deep): PostgreSQL checks
    /// the keys again when a row the transaction inserted is updated, so the parents must really be there.
    /// </summary>
    public static Task<string> InsertAsync(NpgsqlConnection connection, CatalogRelation table, CancellationToken cancellationToken) =>
        InsertAsync(connection, table.Schema, table.Name, new Dictionary<string, string>(), [$"{table.Schema}.{table.Name}"], cancellationToken);

    private static async Task<string> InsertAsync(
        NpgsqlConnection connection, string schema, string name, Dictionary<string, string> forced, HashSet<string> visited, CancellationToken cancellationToken)
    {
        var columns = await ColumnsAsync(connection, schema, name, null, cancellationToken).ConfigureAwait(false);
        var values = new List<(Column Column, string Literal)>();
        foreach (var column in columns.Where(c => !c.Generated))
        {
            if (forced.TryGetValue(column.Name, out var literal))
            {
                values.Add((column, literal));
            }
            else if (column.Required || (column.Writable && column.TypeName == "uuid"))
            {
                values.Add((column, Literal(column.Type, column.TypeName, column.Category, column.FirstEnumLabel)));
            }
        }

        var parents = new List<string>();
        if (visited.Count < 4)
        {
            foreach (var (column, parentSchema, parentName, parentColumn) in await ForeignKeysAsync(connection, schema, name, cancellationToken).ConfigureAwait(false))
            {
                var value = values.FirstOrDefault(v => v.Column.Name == column);
                if (value.Column is null || !visited.Add($"{parentSchema}.{parentName}"))
                {
                    continue;
                }

                parents.Add(await InsertAsync(connection, parentSchema, parentName, new Dictionary<string, string> { [parentColumn] = value.Literal }, visited, cancellationToken).ConfigureAwait(false));
            }
        }

        var qualified = $"{Sql.Identifier(schema)}.{Sql.Identifier(name)}";
        var insert = values.Count == 0
            ? $"INSERT INTO {qualified} DEFAULT VALUES"
            : $"INSERT INTO {qualified} ({string.Join(", ", values.Select(v => Sql.Identifier(v.Column.Name)))})" +
              (values.Any(v => v.Column.IdentityAlways) ? " OVERRIDING SYSTEM VALUE" : string.Empty) +
              $" VALUES ({string.Join(", ", values.Select(v => v.Literal))}) ON CONFLICT DO NOTHING";
        return string.Concat(parents.Select(p => p + "; ")) + insert;
    }

    private static async Task<List<(string Column, string ParentSchema, string ParentName, string ParentColumn)>> ForeignKeysAsync(
        NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ForeignKeysQuery, connection);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("name", name);
        var keys = new List<(string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return keys;
    }

    /// <summary>
    /// "column = literal" for a column the role may UPDATE (column grants count), or null when there is none.
    /// A literal, not "column = column": reading a column makes PostgreSQL apply the SELECT policies too.
    /// </summary>
    public static async Task<string?> AssignmentAsync(NpgsqlConnection connection, CatalogRelation table, string role, CancellationToken cancellationToken) =>
        // A column no key or check constraint involves: the new value then cannot fail for reasons of its own.
        (await ColumnsAsync(connection, table.Schema, table.Name, role, cancellationToken).ConfigureAwait(false))
            .Where(c => c.Writable && c.Updatable).OrderBy(c => c.Constrained).FirstOrDefault() is { } column
            ? $"{Sql.Identifier(column.Name)} = {Literal(column.Type, column.TypeName, column.Category, column.FirstEnumLabel)}"
            : null;

    /// <summary>A literal for each argument of the function, comma-separated: every uuid <paramref name="user"/> (user A by default), every number <paramref name="number"/>.</summary>
    public static async Task<string> ArgumentsAsync(NpgsqlConnection connection, CatalogFunction function, CancellationToken cancellationToken, string user = ExposureProver.UserA, string number = "1")
    {
        await using var command = new NpgsqlCommand(ArgumentsQuery, connection);
        command.Parameters.AddWithValue("schema", function.Schema);
        command.Parameters.AddWithValue("name", function.Name);
        command.Parameters.AddWithValue("arguments", function.Arguments);
        var literals = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            literals.Add(Literal(reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.IsDBNull(3) ? null : reader.GetString(3), user, number));
        }

        return string.Join(", ", literals);
    }

    private sealed record Column(
        string Name, string Type, string TypeName, char Category, bool Required, bool Writable, string? FirstEnumLabel, bool Updatable, bool Constrained,
        bool IdentityAlways, bool Generated);

    private static async Task<List<Column>> ColumnsAsync(NpgsqlConnection connection, string schema, string name, string? role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ColumnsQuery, connection);
        command.Parameters.AddWithValue("role", NpgsqlTypes.NpgsqlDbType.Text, (object?)role ?? System.DBNull.Value);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("name", name);
        var columns = new List<Column>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(new Column(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)[0], reader.GetBoolean(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7), reader.GetBoolean(8),
                reader.GetBoolean(9), reader.GetBoolean(10)));
        }

        return columns;
    }

    /// <summary>A literal of the type, by PostgreSQL's type category (pg_type.typcategory).</summary>
    private static string Literal(string type, string typeName, char category, string? firstEnumLabel, string user = ExposureProver.UserA, string number = "1")
    {
        var value = typeName switch
        {
            "uuid" => Sql.Literal(user),
            "json" or "jsonb" => "'{}'",
            "bytea" => "'\\x00'",
            "tsvector" => "''",
            _ => category switch
            {
                'S' => "'hotdash-proof'",
                'N' => number,
                'B' => "true",
                'D' => "now()",
                'T' => "'1 day'",
                'E' => Sql.Literal(firstEnumLabel ?? string.Empty),
                'A' => "'{}'",
                'I' => "'127.0.0.1'",
                _ => "NULL",
            },
        };
        return $"{value}::{type}";
    }
}
