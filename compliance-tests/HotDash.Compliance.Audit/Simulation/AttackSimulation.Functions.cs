using System;
using System.Linq;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Migrations;
using HotDash.Compliance.Audit.Report;

namespace HotDash.Compliance.Audit.Simulation;

// The calls of every exposed function as user A, anon and user B, with A's identifiers.
public static partial class AttackSimulation
{
    private sealed partial class Run
    {
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
    }
}
