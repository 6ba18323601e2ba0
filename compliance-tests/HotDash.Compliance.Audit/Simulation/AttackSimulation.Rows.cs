using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;
using Npgsql;

namespace HotDash.Compliance.Audit.Simulation;

// The attempts on tables and views: reads, writes of each column, deletes, inserts, joins, the owner's own protected columns and rows.
public static partial class AttackSimulation
{
    private sealed partial class Run
    {
        private async Task ReadAsync(CatalogRelation relation)
        {
            var subject = SubjectOf(relation);
            string? predicate;
            string? notTried = null;
            IReadOnlyList<string> uuids = [];
            if (relation.IsTable)
            {
                var table = seed.Table(relation.Schema, relation.Name);
                var row = table is null ? null : seed.RowOf(table, Tenant.A);
                predicate = row is { Seeded: true } ? row.Predicate : null;
                notTried = predicate is null ? $"user A's row could not be seeded: {row?.Error ?? "the table was not read"}" : null;
            }
            else
            {
                uuids = await UuidColumnsAsync(relation).ConfigureAwait(false);
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
                await WriteThroughViewAsync(relation, uuids, predicate, notTried).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// UPDATE and DELETE of user A's rows through a view that passes them on (automatically updatable, or INSTEAD OF
        /// triggers): they reach the relation under it with the view owner's rights. A write counts when one of A's
        /// seeded rows changed (auth.users included).
        /// </summary>
        private async Task WriteThroughViewAsync(CatalogRelation view, IReadOnlyList<string> uuids, string? predicate, string? notTried)
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
                        Add(who, subject, operation, AccessOutcome.NotTried, notTried!, []);
                        continue;
                    }

                    var column = uuids[0];
                    var attempt = operation == "delete"
                        ? $"DELETE FROM {view.QualifiedName} WHERE {predicate}"
                        : $"UPDATE {view.QualifiedName} SET {Sql.Identifier(column)} = {Sql.Identifier(column)} WHERE {predicate}";
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
            var through = new List<string>();
            var refused = new List<string>();
            var statements = new List<string>();
            var failed = new List<string>();
            foreach (var column in table.Columns.Where(c => !c.Generated && !c.IdentityAlways))
            {
                var (result, attempt, changed, filtered) = await UpdateRowAsync(who, relation, table, a, $"{Sql.Identifier(column.Name)} = {Different(table, column, a, b)}").ConfigureAwait(false);
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
                    allowed.Add(filtered ? column.Name : $"{column.Name} (with no filter)");
                    through.Add(Statements(who, attempt));
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
            Add(who, Subject.Table(relation.QualifiedName), "update", outcome, detail, allowed.Count > 0 ? through : statements.Take(3).ToList(),
                schema: relation.Schema, name: relation.Name);
        }

        /// <summary>
        /// UPDATE of user A's row with a filter (what PostgREST sends; the SELECT policies then apply too), and where that
        /// reaches nothing, without one (a PATCH with no filter, refused only where pg-safeupdate is loaded): the
        /// attempt that changed A's row, or the last one, and whether A's row changed.
        /// </summary>
        private async Task<(ProofResult Result, string Attempt, bool Changed, bool Filtered)> UpdateRowAsync(Identity who, CatalogRelation relation, SeedTable table, SeededRow a, string set)
        {
            var filtered = $"UPDATE {relation.QualifiedName} SET {set} WHERE {a.Predicate}";
            var result = await TryAsync(who, filtered, _fingerprint).ConfigureAwait(false);
            if (result.Error is not null || result.Affected > 0)
            {
                return (result, filtered, result.Error is null && Changed(result).Contains(table.Key), true);
            }

            var unfiltered = $"UPDATE {relation.QualifiedName} SET {set}";
            var blind = await TryAsync(who, unfiltered, _fingerprint).ConfigureAwait(false);
            return blind.Error is null && Changed(blind).Contains(table.Key) ? (blind, unfiltered, true, false) : (result, filtered, false, true);
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
                _memberships.Add((table, _cells[^1]));
            }
        }

        /// <summary>User A writes the protected columns (database.protectedColumns) of their own row, and inserts a row with them set.</summary>
        private async Task ProtectedAsync(Identity owner, CatalogRelation relation, SeedTable table, SeededRow a)
        {
            foreach (var column in table.Columns.Where(c => !c.Generated && rules.Database.ProtectedColumns.Any(r => r.Matches(table.Name, c.Name))))
            {
                var value = Privileged(column, a);
                var (result, update, changed, _) = await UpdateRowAsync(owner, relation, table, a, $"{Sql.Identifier(column.Name)} = {value}").ConfigureAwait(false);
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
                var (result, attempt, changed, _) = await UpdateRowAsync(owner, relation, table, a, $"{Sql.Identifier(column)} = {Sql.Literal(TenantSeed.UserB)}::{type}").ConfigureAwait(false);
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
    }
}
