using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Rules;
using Npgsql;
using NpgsqlTypes;

namespace HotDash.Compliance.Audit.Database.Catalog;

/// <summary>
/// Reads the <see cref="CatalogSnapshot"/> in two round trips, whatever the number of tables, policies
/// and functions: one batch for the scope (which schemas the API exposes, which roles exist, the
/// provider's signals), one batch for everything inside that scope. Catalog data only: the audit role
/// needs no table rights, except SELECT on storage.buckets to judge buckets.
/// </summary>
public static class CatalogReader
{
    // pg_db_role_setting holds ALTER DATABASE / ALTER ROLE ... SET values: PostgREST's in-database
    // configuration (pgrst.db_schemas) lives there, on the authenticator role (what PostgREST itself
    // reads) or on the database. Last, the setting as this session sees it (server configuration), which
    // is where Supabase's linter reads it.
    private const string ExposedSchemasQuery = """
        SELECT * FROM (
          SELECT CASE WHEN s.setrole = 0 THEN 'database ' || current_database() ELSE 'role ' || r.rolname END
                   || CASE WHEN s.setdatabase = 0 THEN '' WHEN s.setrole = 0 THEN '' ELSE ' in database ' || current_database() END AS source,
                 substr(c.setting, length('pgrst.db_schemas=') + 1) AS value,
                 CASE WHEN s.setrole <> 0 THEN 0 ELSE 1 END * 2 + CASE WHEN s.setdatabase <> 0 THEN 0 ELSE 1 END AS rank
            FROM pg_catalog.pg_db_role_setting s
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
            CROSS JOIN LATERAL unnest(s.setconfig) AS c(setting)
           WHERE c.setting LIKE 'pgrst.db\_schemas=%'
             AND (s.setdatabase = 0 OR s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))
             AND (s.setrole = 0 OR r.rolname = @authenticator)
          UNION ALL
          SELECT 'the server setting', current_setting('pgrst.db_schemas', true), 9
           WHERE current_setting('pgrst.db_schemas', true) IS NOT NULL
        ) AS settings
        ORDER BY rank
        """;

    private const string RolesQuery = """
        SELECT rolname, rolsuper, rolbypassrls, rolname = ANY(@api) AS api
          FROM pg_catalog.pg_roles
         WHERE rolsuper OR rolbypassrls OR rolname = ANY(@api)
         ORDER BY rolname
        """;

    private const string SignalsQuery = """
        SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(@s_schemas)
        UNION ALL SELECT 'role ' || rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@s_roles)
        UNION ALL SELECT 'database ' || datname FROM pg_catalog.pg_database WHERE datname = ANY(@s_databases)
        UNION ALL SELECT 'table ' || n.nspname || '.' || c.relname
                    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname || '.' || c.relname = ANY(@s_tables)
        UNION ALL SELECT 'extension ' || extname FROM pg_catalog.pg_extension WHERE extname = ANY(@s_extensions)
        UNION ALL SELECT 'setting ' || name FROM unnest(@s_settings::text[]) AS name WHERE current_setting(name, true) IS NOT NULL
        UNION ALL SELECT 'publication ' || pubname FROM pg_catalog.pg_publication WHERE pubname = ANY(@s_publications)
        """;

    // Privileges are asked of PostgreSQL itself (has_*_privilege), so grants through PUBLIC, role
    // membership and column-level grants all count, as they do for a real request.
    private const string RelationsQuery = """
        WITH roles AS (SELECT oid, rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@api) OR (rolbypassrls AND NOT rolsuper))
        SELECT n.nspname, c.relname, c.relkind::text, pg_catalog.pg_get_userbyid(c.relowner),
               c.relrowsecurity, c.relforcerowsecurity,
               CASE WHEN c.relispartition THEN
                 (SELECT pn.nspname || '.' || pc.relname
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                   WHERE i.inhrelid = c.oid LIMIT 1)
               END,
               (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' LIMIT 1),
               coalesce(c.reloptions, '{}'),
               ARRAY(SELECT r.rolname || ':'
                            || CASE WHEN pg_catalog.has_any_column_privilege(r.oid, c.oid, 'SELECT') THEN 'r' ELSE '' END
                            || CASE WHEN pg_catalog.has_any_column_privilege(r.oid, c.oid, 'INSERT') THEN 'a' ELSE '' END
                            || CASE WHEN pg_catalog.has_any_column_privilege(r.oid, c.oid, 'UPDATE') THEN 'w' ELSE '' END
                            || CASE WHEN pg_catalog.has_table_privilege(r.oid, c.oid, 'DELETE') THEN 'd' ELSE '' END
                       FROM roles r),
               -- The commands a view passes through to the relation it reads (automatically updatable, or INSTEAD OF
               -- triggers): bits of PostgreSQL's CmdType, UPDATE 4, INSERT 8, DELETE 16.
               CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_relation_is_updatable(c.oid, true) ELSE 0 END
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND (n.nspname = ANY(@schemas) OR n.nspname || '.' || c.relname = ANY(@private))
         ORDER BY n.nspname, c.relname
        """;

    // A policy applies to an API role when it names PUBLIC (oid 0), the role, or a role it is a member of.
    private const string PoliciesQuery = """
        WITH api AS (SELECT oid, rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@api))
        SELECT n.nspname, c.relname, p.polname, p.polcmd::text, p.polpermissive,
               ARRAY(SELECT CASE WHEN x.r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.r) END FROM unnest(p.polroles) AS x(r) ORDER BY 1),
               ARRAY(SELECT a.rolname FROM api a
                      WHERE EXISTS (SELECT 1 FROM unnest(p.polroles) AS x(r) WHERE x.r = 0 OR pg_catalog.pg_has_role(a.oid, x.r, 'MEMBER'))
                      ORDER BY a.rolname),
               pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
          FROM pg_catalog.pg_policy p
          JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY(@schemas)
         ORDER BY n.nspname, c.relname, p.polname
        """;

    private const string FunctionsQuery = """
        WITH api AS (SELECT oid, rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@api))
        SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), o.rolname, o.rolsuper, o.rolbypassrls,
               p.prosecdef, coalesce(p.proconfig, '{}'), p.prorettype::regtype::text, l.lanname,
               (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                 WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                   AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' LIMIT 1),
               ARRAY(SELECT a.rolname FROM api a WHERE pg_catalog.has_function_privilege(a.oid, p.oid, 'EXECUTE') ORDER BY a.rolname)
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
          JOIN pg_catalog.pg_roles o ON o.oid = p.proowner
          JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         WHERE p.prokind = 'f' AND n.nspname = ANY(@schemas)
         ORDER BY n.nspname, p.proname, 3
        """;

    // A view's query is a rewrite rule; the rule's dependencies are the relations the view reads.
    private const string ViewDependenciesQuery = """
        SELECT DISTINCT vn.nspname, v.relname, tn.nspname, t.relname
          FROM pg_catalog.pg_class v
          JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
          JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = v.oid
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = rw.oid
                                     AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> v.oid
          JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
         WHERE v.relkind IN ('v', 'm') AND vn.nspname = ANY(@schemas)
         ORDER BY 1, 2, 3, 4
        """;

    private const string SchemaUsageQuery = """
        SELECT n.nspname, ARRAY(SELECT r.rolname FROM pg_catalog.pg_roles r
                                 WHERE r.rolname = ANY(@api) AND pg_catalog.has_schema_privilege(r.oid, n.oid, 'USAGE') ORDER BY 1)
          FROM pg_catalog.pg_namespace n
         WHERE n.nspname = ANY(@schemas)
        """;

    // The columns an API role may write (column privileges, as PostgreSQL decides them) of RLS tables with a permissive
    // write policy: where a protected column can be written through a policy (HD5014). With them, the BEFORE row
    // triggers for that command, without a WHEN condition, whose function assigns NEW.<column> or raises an exception
    // and names the column: one that may reset or refuse the value (a trigger that only reads it does neither).
    private const string WritableColumnsQuery = """
        WITH api AS (SELECT oid, rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(@api))
        SELECT n.nspname, c.relname, a.attname,
               ARRAY(SELECT r.rolname || ':'
                            || CASE WHEN pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'INSERT') THEN 'a' ELSE '' END
                            || CASE WHEN pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'UPDATE') THEN 'w' ELSE '' END
                       FROM api r),
               ARRAY(SELECT t.tgname || ':' || CASE WHEN t.tgtype & 4 <> 0 THEN 'a' ELSE '' END || CASE WHEN t.tgtype & 16 <> 0 THEN 'w' ELSE '' END
                       FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
                      WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgtype & 3 = 3 AND t.tgtype & 20 <> 0
                        AND t.tgqual IS NULL AND position(lower(a.attname) IN lower(coalesce(f.prosrc, ''))) > 0
                        AND (lower(f.prosrc) ~ ('new\.' || regexp_replace(lower(a.attname), '(\W)', '\\\1', 'g') || '\s*:?=')
                             OR lower(f.prosrc) ~ 'raise\s+exception')
                      ORDER BY t.tgname)
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND n.nspname = ANY(@schemas)
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('a', 'w', '*'))
           AND EXISTS (SELECT 1 FROM api r WHERE pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'INSERT')
                                              OR pg_catalog.has_column_privilege(r.oid, c.oid, a.attnum, 'UPDATE'))
         ORDER BY n.nspname, c.relname, a.attnum
        """;

    // storage.buckets holds rows, not catalog data: it is read through query_to_xml so the batch still
    // parses where Supabase Storage is not installed, and only when the audit role may read it. Supabase enables RLS
    // on it: unless the audit role bypasses RLS (superuser, BYPASSRLS, the owner without FORCE) or a permissive
    // SELECT policy for it (or PUBLIC) reads USING (true), the rows it gets may be some or none of the buckets, and
    // nothing is judged from them ("hidden").
    private const string BucketsQuery = """
        WITH state AS (
          SELECT c.oid IS NOT NULL AS present,
                 coalesce(pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT'), false) AS readable,
                 coalesce(c.relrowsecurity
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = current_user AND (r.rolsuper OR r.rolbypassrls))
                   AND NOT (pg_catalog.pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
                   AND NOT EXISTS (
                     SELECT 1 FROM pg_catalog.pg_policy p
                      WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('r', '*')
                        AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) = 'true'
                        AND EXISTS (SELECT 1 FROM unnest(p.polroles) AS pr(oid) WHERE CASE WHEN pr.oid = 0 THEN true ELSE pg_catalog.pg_has_role(current_user, pr.oid, 'MEMBER') END)),
                   false) AS hidden,
                 current_user::text AS auditor
            FROM (SELECT 1) AS one
            LEFT JOIN pg_catalog.pg_class c
              ON c.relname = 'buckets' AND c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'storage'))
        SELECT s.present, s.readable, s.hidden, s.auditor,
               (xpath('/row/id/text()', b.row))[1]::text, (xpath('/row/name/text()', b.row))[1]::text,
               (xpath('/row/public/text()', b.row))[1]::text
          FROM state s
          LEFT JOIN LATERAL unnest(xpath('/table/row', query_to_xml(
                 CASE WHEN s.readable THEN 'SELECT id, name, coalesce(public, false) AS public FROM storage.buckets ORDER BY id'
                      ELSE 'SELECT 1 WHERE false' END, false, false, ''))) AS b(row) ON NOT s.hidden
        """;

    private static TablePrivileges WritesThrough(int events) =>
        ((events & 4) != 0 ? TablePrivileges.Update : TablePrivileges.None)
        | ((events & 8) != 0 ? TablePrivileges.Insert : TablePrivileges.None)
        | ((events & 16) != 0 ? TablePrivileges.Delete : TablePrivileges.None);

        public static async Task<CatalogSnapshot> ReadAsync(AuditSession session, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        var database = rules.Database;
        var apiRoleNames = database.ApiRoles.ToArray();
        var providers = database.Providers;

        var exposedSettings = new List<(string Where, string Value)>();
        var roles = new List<(string Name, bool Super, bool Bypass, bool Api)>();
        var signals = new HashSet<string>(StringComparer.Ordinal);
        await session.BatchAsync(
            [
                Command(ExposedSchemasQuery, p => p.AddWithValue("authenticator", database.AuthenticatorRole)),
                Command(RolesQuery, p => p.AddWithValue("api", NpgsqlDbType.Array | NpgsqlDbType.Text, apiRoleNames)),
                Command(SignalsQuery, p =>
                {
                    Texts(p, "s_schemas", providers.SelectMany(x => x.Schemas));
                    Texts(p, "s_roles", providers.SelectMany(x => x.Roles));
                    Texts(p, "s_databases", providers.SelectMany(x => x.Databases));
                    Texts(p, "s_tables", providers.SelectMany(x => x.Tables));
                    Texts(p, "s_extensions", providers.SelectMany(x => x.Extensions));
                    Texts(p, "s_settings", providers.SelectMany(x => x.Settings));
                    Texts(p, "s_publications", providers.SelectMany(x => x.Publications));
                }),
            ],
            async reader =>
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    exposedSettings.Add((reader.GetString(0), reader.GetString(1)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    roles.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    signals.Add(reader.GetString(0));
                }
            },
            cancellationToken).ConfigureAwait(false);

        var exposed = exposedSettings.Count > 0
            ? new ExposedSchemas(SplitSchemas(exposedSettings[0].Value), $"pgrst.db_schemas of {exposedSettings[0].Where}")
            : new ExposedSchemas(database.ExposedSchemas.ToList(), "the rules (database.exposedSchemas): the database has no pgrst.db_schemas setting");
        var apiRoles = roles.Where(r => r.Api).Select(r => r.Name).ToList();
        var schemas = database.Rls.Schemas.Concat(exposed.Schemas).Append("storage").Distinct(StringComparer.Ordinal).ToArray();

        var relations = new List<CatalogRelation>();
        var policies = new List<CatalogPolicy>();
        var functions = new List<CatalogFunction>();
        var dependencies = new List<ViewDependency>();
        var usage = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var writableColumns = new List<CatalogColumn>();
        List<StorageBucket>? buckets = [];
        string? bucketsNote = null;
        void Scope(NpgsqlParameterCollection p)
        {
            p.AddWithValue("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, schemas);
            p.AddWithValue("api", NpgsqlDbType.Array | NpgsqlDbType.Text, apiRoleNames);
        }

        await session.BatchAsync(
            [
                Command(RelationsQuery, p =>
                {
                    Scope(p);
                    Texts(p, "private", database.PrivateRelations);
                }),
                Command(PoliciesQuery, Scope),
                Command(FunctionsQuery, Scope),
                Command(ViewDependenciesQuery, Scope),
                Command(SchemaUsageQuery, Scope),
                Command(WritableColumnsQuery, Scope),
                Command(BucketsQuery, _ => { }),
            ],
            async reader =>
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    relations.Add(new CatalogRelation(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.GetString(3),
                        reader.GetBoolean(4), reader.GetBoolean(5), NullableString(reader, 6), NullableString(reader, 7),
                        reader.GetFieldValue<string[]>(8), ParsePrivileges(reader.GetFieldValue<string[]>(9)))
                    {
                        WritesThrough = WritesThrough(reader.GetInt32(10)),
                    });
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    policies.Add(new CatalogPolicy(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)[0], reader.GetBoolean(4),
                        reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6), NullableString(reader, 7), NullableString(reader, 8)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    functions.Add(new CatalogFunction(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.GetBoolean(5),
                        reader.GetBoolean(6), reader.GetFieldValue<string[]>(7), reader.GetString(8), reader.GetString(9), NullableString(reader, 10),
                        reader.GetFieldValue<string[]>(11)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    dependencies.Add(new ViewDependency(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    usage[reader.GetString(0)] = reader.GetFieldValue<string[]>(1).ToHashSet(StringComparer.Ordinal);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    static IReadOnlyDictionary<string, string> Split(string[] entries) =>
                        entries.Select(e => e.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
                    writableColumns.Add(new CatalogColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                        Split(reader.GetFieldValue<string[]>(3)), Split(reader.GetFieldValue<string[]>(4))));
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!reader.GetBoolean(0))
                    {
                        buckets = null;
                        bucketsNote = "no storage.buckets table: Supabase Storage is not installed";
                    }
                    else if (!reader.GetBoolean(1))
                    {
                        var auditor = Sql.Identifier(reader.GetString(3));
                        buckets = null;
                        bucketsNote = $"the audit role {auditor} may not read storage.buckets: GRANT USAGE ON SCHEMA storage TO {auditor}; GRANT SELECT ON storage.buckets TO {auditor};" +
                                      (reader.GetBoolean(2) ? $" and, since row-level security is on there, CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO {auditor} USING (true);" : string.Empty) +
                                      " (samples/supabase/audit-role.sql)";
                    }
                    else if (reader.GetBoolean(2))
                    {
                        var auditor = Sql.Identifier(reader.GetString(3));
                        buckets = null;
                        bucketsNote = $"row-level security on storage.buckets hides its rows from the audit role {auditor} (no policy lets it read every bucket, and it does not bypass RLS), so the buckets it would see prove nothing. Let it read them: CREATE POLICY hotdash_auditor_reads_buckets ON storage.buckets FOR SELECT TO {auditor} USING (true); (samples/supabase/audit-role.sql)";
                    }
                    else if (!reader.IsDBNull(4))
                    {
                        buckets!.Add(new StorageBucket(reader.GetString(4), reader.IsDBNull(5) ? reader.GetString(4) : reader.GetString(5), reader.GetString(6) == "true"));
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);

        return new CatalogSnapshot
        {
            ApiRoles = apiRoles,
            Exposed = exposed,
            ReadSchemas = schemas,
            SchemaUsage = usage,
            Relations = relations,
            Policies = policies,
            Functions = functions,
            RlsBypassingRoles = roles.Where(r => r.Super || r.Bypass).Select(r => new CatalogRole(r.Name, r.Super, r.Bypass)).ToList(),
            ViewDependencies = dependencies,
            WritableColumns = writableColumns,
            Buckets = buckets,
            BucketsNote = bucketsNote,
            ProviderSignals = signals,
            ServerVersion = session.ServerVersion,
        };
    }

    /// <summary>pgrst.db_schemas is a comma-separated list; PostgREST trims the names.</summary>
    public static IReadOnlyList<string> SplitSchemas(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.Trim('"')).ToList();

    private static NpgsqlBatchCommand Command(string sql, Action<NpgsqlParameterCollection> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        parameters(command.Parameters);
        return command;
    }

    private static void Texts(NpgsqlParameterCollection parameters, string name, IEnumerable<string> values) =>
        parameters.AddWithValue(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values.Distinct(StringComparer.Ordinal).ToArray());

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static Dictionary<string, TablePrivileges> ParsePrivileges(string[] entries)
    {
        var result = new Dictionary<string, TablePrivileges>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var colon = entry.LastIndexOf(':');
            var privileges = TablePrivileges.None;
            foreach (var c in entry[(colon + 1)..])
            {
                privileges |= c switch
                {
                    'r' => TablePrivileges.Select,
                    'a' => TablePrivileges.Insert,
                    'w' => TablePrivileges.Update,
                    'd' => TablePrivileges.Delete,
                    _ => TablePrivileges.None,
                };
            }

            result[entry[..colon]] = privileges;
        }

        return result;
    }
}
