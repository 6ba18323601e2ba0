using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Access;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;
using HotDash.Compliance.Audit.Rules;
using Npgsql;

namespace HotDash.Compliance.Audit.Simulation;

/// <summary>The attack simulation's outcome: the access matrix, and every finding (the static ones with their proofs, and its own).</summary>
public sealed record SimulationResult(AccessMatrix Matrix, IReadOnlyList<Finding> Findings);

/// <summary>
/// The attack simulation (pull-request mode, on the disposable database only): two tenants seeded from the catalog
/// (<see cref="TenantSeed"/>), then, each attempt in its own rolled-back transaction as the API role with a user's JWT
/// claims, everything an attacker would try on every relation and function an API role reaches: as anon and as user B,
/// read, update (each column), delete user A's rows and insert rows in A's name; as B, insert themself into A's tenant
/// through every table that links users to a parent and re-read A's rows; as user A, write the protected columns of
/// their own rows; as anon and B with request headers and cookies naming A where a policy reads them; and call every
/// exposed function as anon, B and A. What the owner then reads of A's rows (a fingerprint) decides whether a write
/// happened. Where a static rule already claims the exposure, the attempt is its proof (or shows it does not hold);
/// where the static rules are silent and an attempt gets through, it is HD5015 (HD5016 for a self-granted membership),
/// unless the rules declare it intended.
/// </summary>
public static class AttackSimulation
{
    public const string Concern = "attack-simulation";

    public const string Anon = "anon";
    public const string UserB = "user B";
    public const string UserA = "user A";

    // Values that grant or settle something, when a column allows a list of them: the one an attacker would set.
    private static readonly Regex Granting = new("^(paid|succeeded|success|completed?|approved|active|verified|admin|owner|premium|pro|enterprise)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex ComparedWithConstant = new(@"'([^']{1,64})'(?:::text)?\)*\s*=\s*'([^']{0,256})'", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex QuotedLiteral = new("'([^']{1,64})'", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static async Task<SimulationResult> RunAsync(DisposableDatabase database, CatalogSnapshot snapshot, IReadOnlyList<Finding> findings, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await DisposableDatabase.EnsureDisposableAsync(connection, cancellationToken).ConfigureAwait(false);

        var reached = snapshot.Relations
            .Where(r => (r.IsTable || r.IsView) && r.Extension is null && snapshot.ApiRoles.Any(role => snapshot.Reaches(role, r.Schema)))
            .ToList();
        var seed = await TenantSeed.SeedAsync(connection, reached.Where(r => r.IsTable).Select(r => (r.Schema, r.Name)), cancellationToken).ConfigureAwait(false);
        var run = new Run(connection, snapshot, rules, seed, cancellationToken);
        await run.AttackAsync(reached).ConfigureAwait(false);
        return run.Conclude(findings);
    }

    /// <summary>Who an attempt runs as: the API role, the user id in its JWT claims (null for anon), and request data it forges.</summary>
    private sealed record Identity(string Name, string Role, string? UserId, string? Forged = null)
    {
        public string Claims => JsonSerializer.Serialize(UserId is null
            ? new Dictionary<string, string> { ["role"] = Role }
            : new Dictionary<string, string> { ["role"] = Role, ["sub"] = UserId, ["aud"] = Role, ["email"] = UserId == TenantSeed.UserA ? "user-a@hotdash.test" : "user-b@hotdash.test" });

        public Identity Forging(string headers) => this with { Name = $"{Name} + headers naming A", Forged = headers };
    }

    private sealed class Run(NpgsqlConnection connection, CatalogSnapshot snapshot, RulesDocument rules, TenantSeed seed, CancellationToken cancellationToken)
    {
        private readonly List<AccessCell> _cells = [];

        // What the cells' words do not carry for the conclusions: which ones forged request data, and which calls a
        // function refused while user A's own call ran.
        private readonly HashSet<AccessCell> _forged = [];
        private readonly HashSet<AccessCell> _refusedStrangers = [];
        private readonly HashSet<AccessCell> _protected = [];
        private readonly HashSet<AccessCell> _answeredForCaller = [];
        private readonly HashSet<AccessCell> _givenAway = [];
        private readonly Dictionary<string, string> _baseline = [];
        private readonly List<(SeedTable Membership, Identity Who, AccessCell Cell, IReadOnlyList<string> Opened)> _memberships = [];
        private string _fingerprint = string.Empty;

        private Identity? Anonymous => snapshot.ApiRoles.Contains("anon") ? new Identity(Anon, "anon", null) : null;

        private string? SignedIn => snapshot.ApiRoles.Contains("authenticated") ? "authenticated" : snapshot.ApiRoles.FirstOrDefault(r => r != "anon");

        private Identity? B => SignedIn is { } role ? new Identity(UserB, role, TenantSeed.UserB) : null;

        private Identity? A => SignedIn is { } role ? new Identity(UserA, role, TenantSeed.UserA) : null;

        private IEnumerable<Identity> Attackers => new[] { Anonymous, B }.OfType<Identity>();

        public async Task AttackAsync(IReadOnlyList<CatalogRelation> reached)
        {
            _fingerprint = seed.Fingerprint();
            if (_fingerprint.Length > 0)
            {
                await using var command = new NpgsqlCommand(_fingerprint, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (table, hash) = Split(reader.GetString(0));
                    _baseline[table] = hash;
                }
            }

            // Reads first: the membership attempts re-read what B could not read before.
            foreach (var relation in reached)
            {
                await ReadAsync(relation).ConfigureAwait(false);
            }

            foreach (var relation in reached.Where(r => r.IsTable))
            {
                await WriteAsync(relation).ConfigureAwait(false);
            }

            foreach (var relation in reached.Where(r => r.IsTable))
            {
                await JoinAsync(relation, reached).ConfigureAwait(false);
            }

            await StorageAsync().ConfigureAwait(false);

            foreach (var function in snapshot.Functions.Where(f => !f.IsTrigger && f.Extension is null && f.ExecutableBy.Any(r => snapshot.ApiRoles.Contains(r) && snapshot.Reaches(r, f.Schema))))
            {
                await CallAsync(function).ConfigureAwait(false);
            }
        }

        private static (string Table, string Hash) Split(string line)
        {
            var colon = line.LastIndexOf(':');
            return (line[..colon], line[(colon + 1)..]);
        }

        /// <summary>The seeded tables whose row of A's the attempt changed or removed, from the owner's fingerprint after it.</summary>
        private List<string> Changed(ProofResult result) =>
            result.After.Select(Split).Where(r => _baseline.TryGetValue(r.Table, out var before) && before != r.Hash).Select(r => r.Table).ToList();

        private static bool Names(string? expression, string column) =>
            expression is not null && Regex.IsMatch(expression, $@"(?<![\w""]){Regex.Escape(column)}(?![\w""])|""{Regex.Escape(column)}""", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        private static string QualifiedName(SeedForeignKey key) => $"{Sql.Identifier(key.Schema)}.{Sql.Identifier(key.Table)}";

        private static Subject SubjectOf(CatalogRelation relation) => relation.IsView ? Subject.View(relation.QualifiedName) : Subject.Table(relation.QualifiedName);

        private Task<ProofResult> TryAsync(Identity who, string attempt, string? readBack = null, IReadOnlyList<string>? followUps = null) =>
            ProofRunner.RunAsync(connection, string.Empty, who.Role, who.UserId, attempt, readBack, claims: who.Claims, headers: who.Forged, cookies: who.Forged, followUps: followUps, cancellationToken: cancellationToken);

        private static string Statements(Identity who, string attempt) =>
            $"SET LOCAL ROLE {who.Role}; request.jwt.claims = {who.Claims}{(who.Forged is null ? string.Empty : $"; request.headers = request.cookies = {who.Forged}")}; {attempt}; ROLLBACK";

        private void Add(Identity who, Subject relation, string operation, AccessOutcome outcome, string detail, IReadOnlyList<string> statements, bool attack = true, string? schema = null, string? name = null)
        {
            var cell = new AccessCell(who.Name, relation, operation, outcome, detail, statements) { Attack = attack };
            cell = schema is null ? cell : cell with { IntendedBecause = Intent(schema, name!, who.Role, operation) };
            _cells.Add(cell);
            if (who.Forged is not null)
            {
                _forged.Add(cell);
            }
        }

        /// <summary>The declared intent that covers the attempt: database.intendedAccess, or database.rls.publicRead for reads.</summary>
        private string? Intent(string schema, string name, string role, string operation)
        {
            var verb = operation.Split(' ')[0] switch
            {
                "join" => "insert",
                "give" => "update",
                var v => v,
            };
            if (verb == "execute" && rules.Database.FunctionExemptions.FirstOrDefault(e => e.Function == $"{schema}.{name}") is { } exemption)
            {
                return $"database.functionExemptions: {exemption.Reason}";
            }

            if (verb == "read" && rules.Database.Rls.PublicRead.FirstOrDefault(p => p.Table == $"{schema}.{name}") is { } publicRead)
            {
                return $"database.rls.publicRead: {publicRead.Reason}";
            }

            return rules.Database.IntendedAccess.FirstOrDefault(i => i.Covers(schema, name, role, verb)) is { } intent ? $"database.intendedAccess: {intent.Reason}" : null;
        }

        private static (AccessOutcome Outcome, string Detail) Refusal(Identity who, ProofResult result) =>
            result.SqlState is "42501"
                ? (AccessOutcome.Denied, $"refused: {result.Error}")
                : (AccessOutcome.Failed, $"failed for another reason ({result.SqlState}: {result.Error})");

        private IEnumerable<Identity> ForgedAttackers(CatalogRelation relation)
        {
            var expressions = snapshot.PoliciesOf(relation)
                .SelectMany(p => new[] { p.Using, p.WithCheck })
                .Where(e => PolicyExpression.Mentions(e, rules.Database.CallerSetSettings) is not null)
                .ToList();
            if (expressions.Count == 0)
            {
                return [];
            }

            // Every quoted name in those policies, as a header and a cookie naming user A: what a caller who read the
            // policy (or guessed) would send. The settings' own names are not headers.
            // A name compared with a constant ("->> 'capgkey') = '8fd6...'") gets that constant: it is in the migration
            // for anyone to read. Every other name gets user A's id.
            var compared = expressions.SelectMany(e => ComparedWithConstant.Matches(e!)).GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Groups[2].Value, StringComparer.Ordinal);
            var names = expressions.SelectMany(e => QuotedLiteral.Matches(e!).Select(m => m.Groups[1].Value))
                .Where(n => !rules.Database.CallerSetSettings.Contains(n, StringComparer.OrdinalIgnoreCase) && !compared.ContainsValue(n))
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(n => n.ToLowerInvariant(), n => compared.GetValueOrDefault(n) ?? TenantSeed.UserA);
            var headers = JsonSerializer.Serialize(names);
            return Attackers.Select(a => a.Forging(headers));
        }

        private async Task ReadAsync(CatalogRelation relation)
        {
            var subject = SubjectOf(relation);
            string? predicate;
            string? notTried = null;
            if (relation.IsTable)
            {
                var table = seed.Table(relation.Schema, relation.Name);
                var row = table is null ? null : seed.RowOf(table, Tenant.A);
                predicate = row is { Seeded: true } ? row.Predicate : null;
                notTried = predicate is null ? $"user A's row could not be seeded: {row?.Error ?? "the table was not read"}" : null;
            }
            else
            {
                var uuids = await UuidColumnsAsync(relation).ConfigureAwait(false);
                predicate = uuids.Count == 0 ? null : string.Join(" OR ", uuids.Select(c => $"{Sql.Identifier(c)} = {Sql.Literal(TenantSeed.UserA)}::uuid"));
                notTried = predicate is null ? "no uuid column of the view tells user A's rows from user B's" : null;
            }

            foreach (var who in new[] { A }.OfType<Identity>().Concat(Attackers).Concat(ForgedAttackers(relation)))
            {
                if (predicate is null)
                {
                    Add(who, subject, "read", AccessOutcome.NotTried, notTried!, [], attack: who.Name != UserA);
                    continue;
                }

                var attempt = $"SELECT count(*) FROM {relation.QualifiedName} WHERE {predicate}";
                var result = await TryAsync(who, attempt).ConfigureAwait(false);
                var (outcome, detail) = result.Error is not null
                    ? Refusal(who, result)
                    : result.Rows.FirstOrDefault() is { } count && count != "0"
                        ? (AccessOutcome.Allowed, who.Name == UserA ? "user A reads their own row" : $"{who.Name} read user A's row ({count} row(s))")
                        : (AccessOutcome.Denied, who.Name == UserA ? "user A does not see their own row" : "user A's row is not visible");
                Add(who, subject, "read", outcome, detail, [Statements(who, attempt)], attack: who.Name != UserA, relation.Schema, relation.Name);
            }

            if (relation.IsView)
            {
                await WriteThroughViewAsync(relation, predicate).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// UPDATE and DELETE of user A's rows through a view that passes them on (automatically updatable, or INSTEAD OF
        /// triggers): they reach the relation under it with the view owner's rights. A write counts when one of A's
        /// seeded rows changed (auth.users included).
        /// </summary>
        private async Task WriteThroughViewAsync(CatalogRelation view, string? predicate)
        {
            var subject = SubjectOf(view);
            foreach (var who in Attackers)
            {
                foreach (var (operation, privilege) in new[] { ("update", TablePrivileges.Update), ("delete", TablePrivileges.Delete) })
                {
                    if (!view.WritesThrough.HasFlag(privilege))
                    {
                        Add(who, subject, operation, AccessOutcome.Denied, $"the view passes no {operation.ToUpperInvariant()} on (not automatically updatable, no INSTEAD OF trigger)", []);
                        continue;
                    }

                    if (predicate is null)
                    {
                        Add(who, subject, operation, AccessOutcome.NotTried, "no uuid column of the view tells user A's rows from user B's", []);
                        continue;
                    }

                    var column = (await UuidColumnsAsync(view).ConfigureAwait(false)).FirstOrDefault();
                    var attempt = operation == "delete"
                        ? $"DELETE FROM {view.QualifiedName} WHERE {predicate}"
                        : $"UPDATE {view.QualifiedName} SET {Sql.Identifier(column!)} = {Sql.Identifier(column!)} WHERE {predicate}";
                    var result = await TryAsync(who, attempt, _fingerprint).ConfigureAwait(false);
                    var changed = result.Error is null ? Changed(result) : [];
                    var (outcome, detail) = result.Error is not null
                        ? Refusal(who, result)
                        : changed.Count > 0 || (operation == "update" && result.Affected > 0)
                            ? (AccessOutcome.Allowed, $"{who.Name} {(operation == "delete" ? "deleted" : "updated")} user A's row{(changed.Count > 0 ? $" in {string.Join(", ", changed)}" : string.Empty)} through the view")
                            : (AccessOutcome.Denied, "reached no row of user A's");
                    Add(who, subject, operation, outcome, detail, [Statements(who, attempt)], schema: view.Schema, name: view.Name);
                }
            }
        }

        private async Task<IReadOnlyList<string>> UuidColumnsAsync(CatalogRelation relation)
        {
            await using var command = new NpgsqlCommand(
                "SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = @relation::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'uuid'::regtype ORDER BY a.attnum", connection);
            command.Parameters.AddWithValue("relation", relation.QualifiedName);
            var columns = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(reader.GetString(0));
            }

            return columns;
        }

        private async Task WriteAsync(CatalogRelation relation)
        {
            var subject = SubjectOf(relation);
            var table = seed.Table(relation.Schema, relation.Name);
            var a = table is null ? null : seed.RowOf(table, Tenant.A);
            var b = table is null ? null : seed.RowOf(table, Tenant.B);
            var attackers = Attackers.Concat(ForgedAttackers(relation)).ToList();
            if (table is null || a is not { Seeded: true })
            {
                foreach (var who in attackers)
                {
                    foreach (var operation in new[] { "update", "delete", "insert" })
                    {
                        Add(who, subject, operation, AccessOutcome.NotTried, $"user A's row could not be seeded: {a?.Error ?? "the table was not read"}", []);
                    }
                }

                return;
            }

            foreach (var who in attackers)
            {
                await UpdateAsync(who, relation, table, a, b).ConfigureAwait(false);
                await DeleteAsync(who, relation, a).ConfigureAwait(false);
                if (who.Forged is null)
                {
                    await InsertAsync(who, relation, table).ConfigureAwait(false);
                }
            }

            if (A is { } owner)
            {
                await ProtectedAsync(owner, relation, table, a).ConfigureAwait(false);
                await GiveAwayAsync(owner, relation, table, a).ConfigureAwait(false);
            }
        }

        private async Task UpdateAsync(Identity who, CatalogRelation relation, SeedTable table, SeededRow a, SeededRow? b)
        {
            var allowed = new List<string>();
            var refused = new List<string>();
            var statements = new List<string>();
            var failed = new List<string>();
            foreach (var column in table.Columns.Where(c => !c.Generated && !c.IdentityAlways))
            {
                var (result, attempt, changed) = await UpdateRowAsync(who, relation, table, a, $"{Sql.Identifier(column.Name)} = {Different(table, column, a, b)}").ConfigureAwait(false);
                statements.Add(Statements(who, attempt));
                if (result.Error is not null)
                {
                    (result.SqlState == "42501" ? refused : failed).Add($"{column.Name}: {result.SqlState}: {result.Error}");
                    if (result.SqlState == "42501" && !relation.PrivilegesOf(who.Role).HasFlag(TablePrivileges.Update))
                    {
                        break;
                    }

                    continue;
                }

                if (changed)
                {
                    allowed.Add(attempt.Contains(" WHERE ", StringComparison.Ordinal) ? column.Name : $"{column.Name} (with no filter)");
                    continue;
                }

                if (result.Affected == 0)
                {
                    // The policies decide by row, not column: a row out of reach stays out of reach for every column.
                    refused.Add($"{column.Name}: reached no row of user A's, with a filter or without");
                    break;
                }

                refused.Add($"{column.Name}: the row kept its values (a trigger)");
            }

            var (outcome, detail) = allowed.Count > 0
                ? (AccessOutcome.Allowed, $"{who.Name} changed user A's row: {string.Join(", ", allowed)}")
                : failed.Count > 0 && refused.Count == 0
                    ? (AccessOutcome.Failed, string.Join("; ", failed))
                    : (AccessOutcome.Denied, string.Join("; ", refused.Concat(failed)));
            Add(who, Subject.Table(relation.QualifiedName), "update", outcome, detail, allowed.Count > 0 ? statements.TakeLast(3).ToList() : statements.Take(3).ToList(),
                schema: relation.Schema, name: relation.Name);
        }

        /// <summary>
        /// UPDATE of user A's row with a filter (what PostgREST sends; the SELECT policies then apply too), and where that
        /// reaches nothing, without one (a PATCH with no filter, refused only where pg-safeupdate is loaded): the
        /// attempt that changed A's row, or the last one, and whether A's row changed.
        /// </summary>
        private async Task<(ProofResult Result, string Attempt, bool Changed)> UpdateRowAsync(Identity who, CatalogRelation relation, SeedTable table, SeededRow a, string set)
        {
            var filtered = $"UPDATE {relation.QualifiedName} SET {set} WHERE {a.Predicate}";
            var result = await TryAsync(who, filtered, _fingerprint).ConfigureAwait(false);
            if (result.Error is not null || result.Affected > 0)
            {
                return (result, filtered, result.Error is null && Changed(result).Contains(table.Key));
            }

            var unfiltered = $"UPDATE {relation.QualifiedName} SET {set}";
            var blind = await TryAsync(who, unfiltered, _fingerprint).ConfigureAwait(false);
            return blind.Error is null && Changed(blind).Contains(table.Key) ? (blind, unfiltered, true) : (result, filtered, false);
        }

        /// <summary>A value for the column that differs from user A's: B's own where B's row differs, else one of the type's.</summary>
        private static string Different(SeedTable table, SeedColumn column, SeededRow a, SeededRow? b)
        {
            if (table.IsKeyColumn(column.Name) && column.TypeName != "uuid")
            {
                // B's own value would collide with B's row: a key of its own.
                return TenantSeed.Literal(column, TenantSeed.UserB, 3, key: true);
            }

            if (b is not null && b.Row.Values.TryGetValue(column.Name, out var theirs) && a.Row.Values.TryGetValue(column.Name, out var ours) && theirs != ours)
            {
                return theirs;
            }

            var current = a.CurrentText(column.Name);
            if (column.Allowed.Count > 0)
            {
                return $"{Sql.Literal(column.Allowed.FirstOrDefault(v => v != current) ?? column.Allowed[0])}::{column.Type}";
            }

            var value = column.TypeName switch
            {
                "uuid" => Sql.Literal(TenantSeed.UserB),
                "json" or "jsonb" => "'{\"hotdash\": \"attack\"}'",
                "bool" => current == "true" ? "false" : "true",
                _ => column.Category switch
                {
                    'S' => Sql.Literal(current == "hotdash-attack" ? "hotdash-attack-2" : "hotdash-attack"),
                    'N' => current == "7" ? "8" : "7",
                    'D' => "(now() - interval '3 days')",
                    'T' => "'3 days'",
                    'E' => Sql.Literal(column.EnumLabels.FirstOrDefault(l => l != current) ?? current ?? string.Empty),
                    'A' => "'{}'",
                    _ => "NULL",
                },
            };
            return $"{value}::{column.Type}";
        }

        private async Task DeleteAsync(Identity who, CatalogRelation relation, SeededRow a)
        {
            var attempt = $"DELETE FROM {relation.QualifiedName} WHERE {a.Predicate}";
            var result = await TryAsync(who, attempt, _fingerprint).ConfigureAwait(false);
            if (result.Error is null && Changed(result).Count == 0)
            {
                // As for UPDATE: without a filter the SELECT policies do not apply.
                var blind = $"DELETE FROM {relation.QualifiedName}";
                var unfiltered = await TryAsync(who, blind, _fingerprint).ConfigureAwait(false);
                if (unfiltered.Error is null && Changed(unfiltered).Count > 0)
                {
                    (attempt, result) = (blind, unfiltered);
                }
            }

            var (outcome, detail) = result.Error is not null
                ? result.SqlState == "23503"
                    ? (AccessOutcome.Failed, $"the policies let it through, a foreign key kept it ({result.Error}): delete the rows that reference it first and it goes")
                    : Refusal(who, result)
                : Changed(result).Count > 0
                    ? (AccessOutcome.Allowed, $"{who.Name} deleted user A's row{(Changed(result).Count > 1 ? $" (and with it A's rows in {string.Join(", ", Changed(result).Where(t => t != $"{relation.Schema}.{relation.Name}"))})" : string.Empty)}")
                    : (AccessOutcome.Denied, "reached no row of user A's");
            Add(who, Subject.Table(relation.QualifiedName), "delete", outcome, detail, [Statements(who, attempt)], schema: relation.Schema, name: relation.Name);
        }

        /// <summary>Insert a new row in user A's name (owner columns A's, parent rows A's), as an attacker.</summary>
        private async Task InsertAsync(Identity who, CatalogRelation relation, SeedTable table)
        {
            var row = seed.Plan(table, TenantSeed.UserA, Tenant.A, fresh: true);
            var attempt = row.Insert(onConflict: string.Empty);
            var result = await TryAsync(who, attempt).ConfigureAwait(false);
            var owned = seed.UserColumns(table).Count > 0;
            var (outcome, detail) = result.Error is not null
                ? result.SqlState is "23505"
                    ? (AccessOutcome.Failed, $"the row's keys are taken (user A has the one row they allow): {result.Error}")
                    : Refusal(who, result)
                : result.Affected > 0
                    ? (AccessOutcome.Allowed, owned ? $"{who.Name} inserted a row in user A's name" : $"{who.Name} inserted a row (the table names no owner)")
                    : (AccessOutcome.Denied, "the row did not go in (a trigger dropped it)");
            Add(who, Subject.Table(relation.QualifiedName), "insert", outcome, detail, [Statements(who, attempt)], schema: relation.Schema, name: relation.Name);
        }

        /// <summary>
        /// User B inserts themself into user A's tenant through a table that links users to a parent (a row naming B,
        /// under A's parent rows), then re-reads every row of A's they could not read before.
        /// </summary>
        private async Task JoinAsync(CatalogRelation relation, IReadOnlyList<CatalogRelation> reached)
        {
            var table = seed.Table(relation.Schema, relation.Name);
            if (B is not { } b || table is null || seed.UserColumns(table).Count == 0)
            {
                return;
            }

            var parents = table.ForeignKeys.Where(k => !seed.UserTables.Contains(k.Referenced) && k.Referenced != table.Key && seed.Table(k.Schema, k.Table) is { } p && seed.RowOf(p, Tenant.A) is { Seeded: true }).ToList();
            if (parents.Count == 0)
            {
                return;
            }

            var unread = _cells.Where(c => c.Identity == UserB && c.Operation == "read" && c.Outcome == AccessOutcome.Denied && c.Relation != Subject.Table(relation.QualifiedName))
                .Select(c => reached.First(r => SubjectOf(r) == c.Relation))
                .Select(r => (Relation: r, Predicate: r.IsTable && seed.Table(r.Schema, r.Name) is { } t && seed.RowOf(t, Tenant.A) is { Seeded: true } row ? row.Predicate : null))
                .Where(r => r.Predicate is not null)
                .ToList();
            var row = seed.Plan(table, TenantSeed.UserB, Tenant.A, fresh: true);
            var attempt = row.Insert(onConflict: string.Empty);
            var followUps = unread.Select(r => $"SELECT count(*) FROM {r.Relation.QualifiedName} WHERE {r.Predicate}").ToList();
            var result = await TryAsync(b, attempt, followUps: followUps).ConfigureAwait(false);
            var under = string.Join(", ", parents.Select(p => p.Referenced));
            var opened = result.Error is null
                ? unread.Zip(result.FollowUps).Where(p => p.Second != "0" && !p.Second.StartsWith("error", StringComparison.Ordinal)).Select(p => p.First.Relation.QualifiedName).ToList()
                : [];
            var (outcome, detail) = result.Error is not null
                ? result.SqlState is "23505" ? (AccessOutcome.Failed, $"the row's keys are taken: {result.Error}") : Refusal(b, result)
                : result.Affected > 0
                    ? (AccessOutcome.Allowed, $"user B inserted a row naming themself under user A's {under}" + (opened.Count > 0 ? $", and then read A's rows in {string.Join(", ", opened)}" : ", which opened no other row of A's"))
                    : (AccessOutcome.Denied, "the row did not go in (a trigger dropped it)");
            var statements = new[] { Statements(b, attempt) }.Concat(opened.Count > 0 ? followUps.Where(f => opened.Any(o => f.Contains($"FROM {o} ", StringComparison.Ordinal))).Select(f => $"then, as user B: {f}") : []).ToList();
            // Attaching a row to a parent B may read anyway (a comment on a public report, a vote in a public poll) is
            // ordinary use; it is an attack when it opens rows of A's, or when the parent is one B cannot see.
            var open = parents.All(p => _cells.Any(c => c.Identity == UserB && c.Operation == "read" && c.Relation.Name == QualifiedName(p) && c.Outcome == AccessOutcome.Allowed));
            Add(b, Subject.Table(relation.QualifiedName), "join A's tenant", outcome, open && opened.Count == 0 ? $"{detail} (B may read those rows anyway: ordinary use, no attack)" : detail, statements,
                attack: opened.Count > 0 || !open, schema: relation.Schema, name: relation.Name);
            if (outcome == AccessOutcome.Allowed && opened.Count > 0)
            {
                _memberships.Add((table, b, _cells[^1], opened));
            }
        }

        /// <summary>User A writes the protected columns (database.protectedColumns) of their own row, and inserts a row with them set.</summary>
        private async Task ProtectedAsync(Identity owner, CatalogRelation relation, SeedTable table, SeededRow a)
        {
            foreach (var column in table.Columns.Where(c => !c.Generated && rules.Database.ProtectedColumns.Any(r => r.Matches(table.Name, c.Name))))
            {
                var value = Privileged(column, a);
                var (result, update, changed) = await UpdateRowAsync(owner, relation, table, a, $"{Sql.Identifier(column.Name)} = {value}").ConfigureAwait(false);
                var (outcome, detail) = result.Error is not null
                    ? Refusal(owner, result)
                    : changed
                        ? (AccessOutcome.Allowed, $"user A set {column.Name} = {value} on their own row")
                        : (AccessOutcome.Denied, result.Affected == 0 ? "reached no row" : $"{column.Name} kept its value (a trigger reset it)");
                Add(owner, Subject.Table(relation.QualifiedName), $"update {column.Name}", outcome, detail, [Statements(owner, update)], schema: relation.Schema, name: relation.Name);
                _protected.Add(_cells[^1]);

                var row = seed.Plan(table, TenantSeed.UserA, Tenant.A, fresh: true, new Dictionary<string, string> { [column.Name] = value });
                var insert = row.Insert(onConflict: string.Empty);
                var check = row.Predicate is { } predicate ? $"SELECT count(*) FROM {relation.QualifiedName} WHERE {predicate} AND {Sql.Identifier(column.Name)} = {value}" : null;
                result = await TryAsync(owner, insert, check).ConfigureAwait(false);
                (outcome, detail) = result.Error is not null
                    ? result.SqlState is "23505" ? (AccessOutcome.Failed, $"the row's keys are taken (user A has the one row they allow): {result.Error}") : Refusal(owner, result)
                    : result.Affected > 0 && result.After.FirstOrDefault() is { } kept && kept != "0"
                        ? (AccessOutcome.Allowed, $"user A inserted a row with {column.Name} = {value}")
                        : (AccessOutcome.Denied, result.Affected == 0 ? "the row did not go in" : $"{column.Name} did not keep the value (a trigger or default reset it)");
                Add(owner, Subject.Table(relation.QualifiedName), $"insert {column.Name}", outcome, detail, [Statements(owner, insert)], schema: relation.Schema, name: relation.Name);
                _protected.Add(_cells[^1]);
            }
        }

        /// <summary>
        /// Storage, as the Storage API runs a request (it queries storage.objects as the caller's role, under RLS): an
        /// object of user A's in A's folder of every bucket (Supabase's convention: the first folder is the user's id),
        /// committed; then anon and user B download it, upload into A's folder and delete it. An object of a public
        /// bucket is downloadable by its URL whatever the policies say: reading it is the bucket's declared intent.
        /// </summary>
        private async Task StorageAsync()
        {
            var objects = seed.Table("storage", "objects");
            if (snapshot.Buckets is not { Count: > 0 } buckets || objects is null || !objects.Columns.Any(c => c.Name == "name") || !objects.Columns.Any(c => c.Name == "bucket_id"))
            {
                return;
            }

            var owned = objects.Columns.Any(c => c.Name == "owner" && c.TypeName == "uuid");
            string Object(string bucket, string user, string file) =>
                $"INSERT INTO storage.objects (bucket_id, name{(owned ? ", owner" : string.Empty)}) VALUES ({Sql.Literal(bucket)}, {Sql.Literal($"{TenantSeed.UserA}/{file}")}{(owned ? $", {Sql.Literal(user)}::uuid" : string.Empty)})";
            foreach (var bucket in buckets)
            {
                var subject = Subject.Bucket(bucket.Id);
                var mine = $"bucket_id = {Sql.Literal(bucket.Id)} AND name = {Sql.Literal($"{TenantSeed.UserA}/hotdash-a.txt")}";
                try
                {
                    await using var insert = new NpgsqlCommand(Object(bucket.Id, TenantSeed.UserA, "hotdash-a.txt"), connection);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    foreach (var who in new[] { A }.OfType<Identity>().Concat(Attackers))
                    {
                        Add(who, subject, "read object", AccessOutcome.NotTried, $"user A's object could not be stored: {e.SqlState}: {e.MessageText}", [], attack: who.Name != UserA);
                    }

                    continue;
                }

                var count = $"SELECT count(*) FROM storage.objects WHERE {mine}";
                foreach (var who in new[] { A }.OfType<Identity>().Concat(Attackers))
                {
                    var read = await TryAsync(who, count).ConfigureAwait(false);
                    var (outcome, detail) = read.Error is not null
                        ? Refusal(who, read)
                        : read.Rows.FirstOrDefault() is { } n && n != "0"
                            ? (AccessOutcome.Allowed, who.Name == UserA ? "user A reads their own object" : $"{who.Name} read user A's object in bucket '{bucket.Id}'{(bucket.Public ? string.Empty : " (a private bucket)")}")
                            : (AccessOutcome.Denied, who.Name == UserA ? "user A does not see their own object" : "user A's object is not visible");
                    var cell = new AccessCell(who.Name, subject, "read object", outcome, detail, [Statements(who, count)])
                    {
                        Attack = who.Name != UserA,
                        IntendedBecause = bucket.Public ? $"bucket '{bucket.Id}' is public: anyone downloads its objects by URL" : null,
                    };
                    _cells.Add(cell);
                }

                foreach (var who in Attackers)
                {
                    var upload = Object(bucket.Id, who.UserId ?? TenantSeed.UserB, "hotdash-attack.txt");
                    var put = await TryAsync(who, upload).ConfigureAwait(false);
                    var (outcome, detail) = put.Error is not null ? Refusal(who, put) : (AccessOutcome.Allowed, $"{who.Name} uploaded a file into user A's folder of bucket '{bucket.Id}'");
                    Add(who, subject, "upload into A's folder", outcome, detail, [Statements(who, upload)]);

                    var delete = $"DELETE FROM storage.objects WHERE {mine}";
                    var removed = await TryAsync(who, delete, $"SELECT count(*) FROM storage.objects WHERE {mine}").ConfigureAwait(false);
                    (outcome, detail) = removed.Error is not null
                        ? Refusal(who, removed)
                        : removed.After.FirstOrDefault() == "0" ? (AccessOutcome.Allowed, $"{who.Name} deleted user A's object") : (AccessOutcome.Denied, "reached no object of user A's");
                    Add(who, subject, "delete object", outcome, detail, [Statements(who, delete)]);
                }
            }
        }

        /// <summary>
        /// User A sets the owner column of their own row to user B: with an UPDATE policy whose WITH CHECK is true, a user
        /// hands a row to someone else, or plants one in their name.
        /// </summary>
        private async Task GiveAwayAsync(Identity owner, CatalogRelation relation, SeedTable table, SeededRow a)
        {
            // Only a column the UPDATE policies decide by: that is what makes the row A's.
            var policies = snapshot.PoliciesOf(relation).Where(p => p.Covers('w')).ToList();
            foreach (var column in seed.UserColumns(table).Where(c => !table.PrimaryKey.Contains(c) && policies.Any(p => Names(p.Using, c))))
            {
                var type = table.Columns.First(c => c.Name == column).Type;
                var (result, attempt, changed) = await UpdateRowAsync(owner, relation, table, a, $"{Sql.Identifier(column)} = {Sql.Literal(TenantSeed.UserB)}::{type}").ConfigureAwait(false);
                var (outcome, detail) = result.Error is not null
                    ? Refusal(owner, result)
                    : changed
                        ? (AccessOutcome.Allowed, $"user A handed their row to user B ({column} = B's id): the new row is not checked against the caller")
                        : (AccessOutcome.Denied, "reached no row");
                Add(owner, Subject.Table(relation.QualifiedName), $"give {column} away", outcome, detail, [Statements(owner, attempt)], schema: relation.Schema, name: relation.Name);
                _givenAway.Add(_cells[^1]);
            }
        }

        /// <summary>A value that grants something: true, 'admin', a large number, the last enum label.</summary>
        private static string Privileged(SeedColumn column, SeededRow a)
        {
            var current = a.CurrentText(column.Name);
            var choices = column.Allowed.Count > 0 ? column.Allowed : column.EnumLabels;
            if (choices.Count > 0)
            {
                var granting = choices.Where(v => v != current).ToList();
                var best = granting.FirstOrDefault(v => Granting.IsMatch(v)) ?? granting.LastOrDefault() ?? current ?? choices[0];
                return $"{Sql.Literal(best)}::{column.Type}";
            }

            var value = column.TypeName switch
            {
                "bool" => current == "true" ? "false" : "true",
                _ => column.Category switch
                {
                    'S' => Sql.Literal(current == "admin" ? "owner" : "admin"),
                    'N' => "1000000",
                    'E' => Sql.Literal(column.EnumLabels.LastOrDefault(l => l != current) ?? current ?? string.Empty),
                    'D' => "(now() + interval '10 years')",
                    _ => "NULL",
                },
            };
            return $"{value}::{column.Type}";
        }

        /// <summary>
        /// The call with user A's identifiers: every uuid argument A's user id, or the key of one of A's rows (a
        /// workspace id, a document id), whichever makes A's own call return something; numbers A's key number.
        /// </summary>
        private async Task<string> OwnersCallAsync(CatalogFunction function)
        {
            string Call(string arguments) => $"SELECT {Sql.Identifier(function.Schema)}.{Sql.Identifier(function.Name)}({arguments})";
            var first = Call(await RowValues.ArgumentsAsync(connection, function, cancellationToken, TenantSeed.UserA, TenantSeed.NumberA).ConfigureAwait(false));
            if (A is not { } owner || !function.Arguments.Contains("uuid", StringComparison.Ordinal))
            {
                return first;
            }

            var keys = seed.Order.Select(t => seed.RowOf(t, Tenant.A)).OfType<SeededRow>().Where(r => r.Seeded)
                .SelectMany(r => r.Row.Table.PrimaryKey.Where(k => r.Row.Table.Columns.First(c => c.Name == k).TypeName == "uuid").Select(k => r.CurrentText(k)))
                .OfType<string>().Where(k => k != TenantSeed.UserA).Distinct().Take(8);
            foreach (var candidate in new[] { TenantSeed.UserA }.Concat(keys))
            {
                var call = Call(await RowValues.ArgumentsAsync(connection, function, cancellationToken, candidate, TenantSeed.NumberA).ConfigureAwait(false));
                var result = await TryAsync(owner, call).ConfigureAwait(false);
                if (result.Error is null && result.Rows.Any(r => r is not ("null" or "False" or "void" or "0" or "")))
                {
                    return call;
                }
            }

            return first;
        }

        private async Task CallAsync(CatalogFunction function)
        {
            var subject = Subject.Function(function.Signature);
            var attempt = await OwnersCallAsync(function).ConfigureAwait(false);
            ProofResult? owners = null;
            foreach (var who in new[] { A }.OfType<Identity>().Concat(Attackers))
            {
                if (!function.ExecutableBy.Contains(who.Role))
                {
                    Add(who, subject, "execute", AccessOutcome.Denied, $"no EXECUTE for {who.Role}", [], attack: who.Name != UserA);
                    if (who.Name != UserA)
                    {
                        _refusedStrangers.Add(_cells[^1]);
                    }

                    continue;
                }

                var result = await TryAsync(who, attempt, _fingerprint).ConfigureAwait(false);
                owners ??= who.Name == UserA ? result : null;
                var changed = result.Error is null ? Changed(result) : [];
                var returned = result.Rows.Count == 0 ? "nothing" : string.Join(", ", result.Rows.Take(3));
                var returnedAs = string.Join(",", result.Rows);
                var (outcome, detail) = result.Error switch
                {
                    not null when result.SqlState == "42501" => (AccessOutcome.Denied, $"refused: {result.Error}"),
                    not null when who.Name != UserA && owners is { Error: null } => (AccessOutcome.Denied, $"the function refused {who.Name} ({result.SqlState}: {result.Error}) where user A's own call ran"),
                    not null => (AccessOutcome.Failed, $"raised {result.SqlState}: {result.Error}"),
                    _ => (AccessOutcome.Allowed, $"ran{(function.SecurityDefiner ? $" with {function.Owner}'s rights" : string.Empty)} and returned {returned}" + (changed.Count > 0 ? $"; it changed user A's rows in {string.Join(", ", changed)}" : string.Empty)),
                };

                // A stranger's call is an attack that got through when it changed A's rows, or, for a definer function
                // (past RLS), returned what user A's own call returns: A's data. Otherwise it ran on the caller's behalf.
                var reachedA = changed.Count > 0 || (function.SecurityDefiner && owners is { Error: null } && returnedAs == string.Join(",", owners.Rows) && result.Rows.Any(r => r != "null"));
                Add(who, subject, "execute", outcome, outcome == AccessOutcome.Allowed && who.Name != UserA && !reachedA ? $"{detail} (not user A's: A's own call returned {(owners is null ? "nothing" : string.Join(", ", owners.Rows.Take(3)))})" : detail,
                    [Statements(who, attempt)], attack: who.Name != UserA && (outcome != AccessOutcome.Allowed || reachedA), function.Schema, function.Name);
                if (result.Error is not null && result.SqlState != "42501" && who.Name != UserA && owners is { Error: null })
                {
                    _refusedStrangers.Add(_cells[^1]);
                }

                // It answered a stranger for the stranger (A's call returned something else, nothing of A's changed):
                // a definer function that checks its caller.
                if (outcome == AccessOutcome.Allowed && who.Name != UserA && !reachedA && owners is { Error: null } && owners.Rows.Any(r => r is not ("null" or "False" or "void" or "")))
                {
                    _answeredForCaller.Add(_cells[^1]);
                }
            }
        }

        /// <summary>
        /// The findings: each static finding with the attempts that prove it (or show it does not hold, where the
        /// simulation is the authority: HD5014 on the owner's own row, HD5008 on a function that refuses strangers),
        /// the simulation's own for what got through unclaimed, and intents no attempt needed.
        /// </summary>
        public SimulationResult Conclude(IReadOnlyList<Finding> findings)
        {
            var result = findings.ToList();
            var explained = new HashSet<AccessCell>();
            for (var i = 0; i < result.Count; i++)
            {
                var finding = result[i];
                if (!finding.Fails)
                {
                    continue;
                }

                var proofs = _cells.Where(c => c.Unintended && c.Relation == finding.About && Explains(finding, c)).ToList();
                explained.UnionWith(proofs);
                if (proofs.Count > 0)
                {
                    result[i] = finding with
                    {
                        Message = $"{finding.Message} Attack simulation: {string.Join("; ", proofs.Select(p => $"{p.Identity} {p.Operation}: {p.Detail}"))}.",
                        Evidence = [.. finding.Evidence, .. proofs.SelectMany(Evidence)],
                    };
                    continue;
                }

                if (Disproves(finding) is { } attempts)
                {
                    result[i] = finding with
                    {
                        Severity = Severity.Info,
                        Message = $"Not exploitable as claimed: the attack simulation tried it and got nothing of user A's ({string.Join("; ", attempts.Select(a => $"{a.Identity} {a.Operation}: {a.Detail}"))}). (The check said: {finding.Message})",
                        Evidence = [.. finding.Evidence, .. attempts.SelectMany(Evidence)],
                    };
                }
            }

            var own = new List<Finding>();
            foreach (var membership in _memberships.Where(m => m.Cell.IntendedBecause is null && !explained.Contains(m.Cell)))
            {
                explained.Add(membership.Cell);
                own.Add(new Finding(RuleIds.SelfGrantedMembership, Severity.Error, Concern, Subject.Table(membership.Membership.QualifiedName), $"disposable database (table {membership.Membership.QualifiedName})",
                    $"User B made themself a member of user A's tenant: {membership.Cell.Detail}. Every policy that trusts {membership.Membership.QualifiedName} hands its rows to whoever inserts a row there. " +
                    $"Fix: let only the tenant's owner or admins add members (WITH CHECK (EXISTS (SELECT 1 FROM {membership.Membership.QualifiedName} m WHERE m.<tenant> = <tenant> AND m.<user> = (select auth.uid()) AND m.<role> = 'admin'))), or add members only through invitations a SECURITY DEFINER function checks; if anyone may join, declare it in database.intendedAccess.",
                    Evidence(membership.Cell).ToList()));
            }

            foreach (var group in _cells.Where(c => c.Unintended && !explained.Contains(c)).GroupBy(c => c.Relation))
            {
                // Forged request data adds nothing where the same attempt got through without it.
                var cells = group.Where(c => !_forged.Contains(c) || !group.Any(p => !_forged.Contains(p) && p.Operation == c.Operation)).ToList();
                own.Add(new Finding(RuleIds.AttackSucceeded, Severity.Error, Concern, group.Key, $"disposable database ({group.Key})",
                    $"The attack simulation got through on {group.Key}, and no static rule claims it and no rule declares it intended: {string.Join("; ", cells.Select(c => $"{c.Identity} {c.Operation}: {c.Detail}"))}. " +
                    "Fix: tie the policies to the caller (USING and WITH CHECK ((select auth.uid()) = <owner column>), or membership a user cannot grant themself), revoke what the API roles need not do, " +
                    "or, if this access is meant, declare it in database.intendedAccess with the reason.",
                    cells.SelectMany(Evidence).ToList()));
            }

            foreach (var relation in _cells.Select(c => c.Relation).Distinct().Where(r => !own.Any(f => f.About == r)))
            {
                var cells = _cells.Where(c => c.Relation == relation && c.Attack).ToList();
                var intended = cells.Where(c => c.Outcome == AccessOutcome.Allowed && c.IntendedBecause is not null).ToList();
                own.Add(new Finding(RuleIds.AttackSucceeded, Severity.Pass, Concern, relation, $"disposable database ({relation})",
                    cells.Any(c => c.Unintended)
                        ? $"What got through on {relation} is what the static rules report (see them): {string.Join("; ", cells.Where(c => c.Unintended).Select(c => $"{c.Identity} {c.Operation}"))}."
                        : $"Every attempt on {relation} as {string.Join(", ", _cells.Where(c => c.Relation == relation).Select(c => c.Identity).Distinct())} was refused, reached nothing of user A's, or is declared intended" +
                          $" ({cells.Count(c => c.Outcome == AccessOutcome.Denied)} denied, {cells.Count(c => c.Outcome == AccessOutcome.Failed)} failed, {cells.Count(c => c.Outcome == AccessOutcome.NotTried)} not tried, {intended.Count} intended).",
                    cells.Where(c => c.Outcome != AccessOutcome.Denied).Select(c => $"{c.Identity} {c.Operation}: {c.Outcome.ToString().ToLowerInvariant()}: {c.Detail}{(c.IntendedBecause is null ? string.Empty : $" (intended: {c.IntendedBecause})")}").ToList()));
            }

            own.AddRange(StaleIntents());
            var identities = _cells.Select(c => c.Identity).Distinct().ToList();
            return new SimulationResult(new AccessMatrix(identities, _cells.ToList()), [.. result, .. own]);
        }

        private static IEnumerable<string> Evidence(AccessCell cell) =>
            new[] { $"attack simulation: {cell.Identity} {cell.Operation} on {cell.Relation}: {cell.Outcome.ToString().ToLowerInvariant()}: {cell.Detail}" }
                .Concat(cell.Statements.Take(3).Select(s => $"attempt (rolled back): {s}"));

        /// <summary>
        /// Whether the static finding claims what the attempt did: its rule speaks of that operation (HD5006 of its
        /// policy's command; HD5014 of the owner's writes of protected columns). A self-granted membership is the
        /// simulation's own (HD5016): no static rule claims it.
        /// </summary>
        private bool Explains(Finding finding, AccessCell cell)
        {
            if (_protected.Contains(cell))
            {
                return finding.RuleId == RuleIds.ProtectedColumnWritable;
            }

            if (_givenAway.Contains(cell))
            {
                return finding.RuleId == RuleIds.AlwaysTruePolicy && (finding.Policy is null || PolicyOf(finding)?.Covers('w') != false);
            }

            if (_memberships.Any(m => m.Cell == cell))
            {
                // The static side of HD5016 (MembershipAudit) claims it on the policies; the join is its proof.
                return finding.RuleId == RuleIds.SelfGrantedMembership;
            }

            var command = cell.Operation switch { "read" => 'r', "update" => 'w', "delete" => 'd', "execute" => 'x', _ => 'a' };
            return finding.RuleId switch
            {
                RuleIds.TableWithoutRls or RuleIds.PrivateRelationExposed or RuleIds.PolicyTrustsUserMetadata => command != 'x',
                RuleIds.ViewBypassesRls => command == 'r',
                RuleIds.BucketListable => cell.Operation == "read object",
                RuleIds.DefinerFunctionCallable => command == 'x',
                RuleIds.AlwaysTruePolicy => finding.Policy is null || PolicyOf(finding) is not { } policy || policy.Covers(command),
                _ => false,
            };
        }

        private CatalogPolicy? PolicyOf(Finding finding) =>
            snapshot.Policies.FirstOrDefault(p => Subject.Table(Sql.Identifier(p.Schema) + "." + Sql.Identifier(p.Table)) == finding.About && p.Name == finding.Policy);

        /// <summary>
        /// The attempts that show a static error does not hold, where the simulation is the authority: every write of a
        /// protected column by the row's owner refused (HD5014); a definer function the owner's call ran and every
        /// stranger's call was refused by (HD5008). Null when they do not settle it.
        /// </summary>
        private List<AccessCell>? Disproves(Finding finding)
        {
            var cells = _cells.Where(c => c.Relation == finding.About).ToList();
            if (finding.RuleId == RuleIds.ProtectedColumnWritable)
            {
                var own = cells.Where(_protected.Contains).ToList();
                return own.Count > 0 && own.All(c => c.Outcome == AccessOutcome.Denied) && !cells.Any(c => c.Identity == UserB && c.Operation == "update" && c.Outcome == AccessOutcome.Allowed) ? own : null;
            }

            if (finding.RuleId == RuleIds.DefinerFunctionCallable)
            {
                var strangers = cells.Where(c => c.Identity != UserA && c.Operation == "execute").ToList();
                return strangers.Count > 0 && strangers.All(c => _refusedStrangers.Contains(c) || _answeredForCaller.Contains(c)) ? strangers : null;
            }

            return null;
        }

        /// <summary>HD5005: a declared intent whose relation exists but no attempt it covers got through (it declares access nobody has).</summary>
        private IEnumerable<Finding> StaleIntents()
        {
            foreach (var intent in rules.Database.IntendedAccess)
            {
                var reason = $"database.intendedAccess: {intent.Reason}";
                var covered = _cells.Where(c => c.IntendedBecause == reason).ToList();
                if (covered.Count > 0 && !covered.Any(c => c.Outcome == AccessOutcome.Allowed))
                {
                    yield return new Finding(RuleIds.StaleExemption, Severity.Warning, Concern, new Subject(SubjectKind.Other, $"intended access {intent.Relation}"), "rules file: database.intendedAccess",
                        $"The rules declare {string.Join(", ", intent.Roles)} may {string.Join(", ", intent.Operations)} {intent.Relation} ({intent.Reason}), and no attempt the attack simulation made got through: the access it declares no longer exists. " +
                        "Fix: remove the entry, or narrow it to what is still meant.",
                        covered.Select(c => $"{c.Identity} {c.Operation}: {c.Outcome.ToString().ToLowerInvariant()}: {c.Detail}").ToList());
                }
            }
        }
    }
}
