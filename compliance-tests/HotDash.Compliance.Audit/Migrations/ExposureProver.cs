using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Database.Access;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;
using Npgsql;

namespace HotDash.Compliance.Audit.Migrations;

/// <summary>
/// On a database the audit created, and only there, every exposure finding (HD5001 a table without RLS an
/// API role can read, HD5006 an always-true policy, HD5008 a callable definer function, HD5011 a listable
/// bucket) is proved by doing it: the exact statements, run as the API role with a made-up user's JWT claims
/// in a transaction that is rolled back, using only rows the proof inserts itself; and what happened is added
/// as evidence. An attempt PostgreSQL refuses turns the finding into "not exploitable" (info) with the attempt
/// as evidence. A proof that cannot be set up (its row will not go in) leaves the finding an error, and says so.
/// </summary>
public static class ExposureProver
{
    /// <summary>User A owns the proof's rows (every uuid column holds A's id); user B attacks them.</summary>
    public const string UserA = "00000000-0000-4000-8000-00000000000a";
    public const string UserB = "00000000-0000-4000-8000-00000000000b";

    public static async Task<IReadOnlyList<Finding>> ProveAsync(DisposableDatabase database, DatabaseAuditResult audit, RulesDocument rules, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await DisposableDatabase.EnsureDisposableAsync(connection, cancellationToken).ConfigureAwait(false);

        var proved = new List<Finding>();
        foreach (var finding in audit.Findings)
        {
            var proof = finding.Fails ? await ProveAsync(connection, finding, audit.Snapshot, rules, cancellationToken).ConfigureAwait(false) : null;
            proved.Add(proof is null ? finding : Apply(finding, proof));
        }

        return proved;
    }

    /// <summary>One attempt and its outcome, in words: exploited, refused, or not set up.</summary>
    private sealed record Proof(bool? Exploited, string Statements, string Outcome);

    private static async Task<Proof?> ProveAsync(NpgsqlConnection connection, Finding finding, CatalogSnapshot snapshot, RulesDocument rules, CancellationToken cancellationToken)
    {
        switch (finding.RuleId)
        {
            case RuleIds.TableWithoutRls when Relation(snapshot, finding.About) is { } table:
            {
                var role = snapshot.ApiRoles.FirstOrDefault(r => snapshot.Reaches(r, table.Schema) && table.PrivilegesOf(r).HasFlag(TablePrivileges.Select));
                return role is null ? null : await ReadAsync(connection, table, role, snapshot, cancellationToken).ConfigureAwait(false);
            }

            case RuleIds.AlwaysTruePolicy when Relation(snapshot, finding.About) is { } table:
            {
                var access = PolicyAudit.Accesses(table, snapshot, rules)
                    .Where(a => a.Reach == PolicyAudit.Reach.Granted && a.Policy.Name == finding.Policy)
                    .OrderBy(a => a.Command switch { 'w' => 0, 'd' => 1, 'a' => 2, _ => 3 })
                    .FirstOrDefault();
                return access is null ? null : await WriteAsync(connection, table, access, snapshot, cancellationToken).ConfigureAwait(false);
            }

            case RuleIds.DefinerFunctionCallable when snapshot.Functions.FirstOrDefault(f => finding.About == Subject.Function(f.Signature)) is { } function:
                return await CallAsync(connection, function, snapshot, cancellationToken).ConfigureAwait(false);

            case RuleIds.BucketListable when finding.About.Kind == SubjectKind.Bucket:
                return await ListAsync(connection, finding.About.Name, snapshot, cancellationToken).ConfigureAwait(false);

            default:
                return null;
        }
    }

    /// <summary>
    /// Users A and B as Supabase Auth would hold them, so that rows naming them satisfy the foreign keys that
    /// nearly every Supabase table has to auth.users (PostgreSQL checks them again when a row the transaction
    /// inserted is updated, whatever the proof switched off while inserting).
    /// </summary>
    private static string Users(CatalogSnapshot snapshot) =>
        snapshot.FindRelation("auth", "users") is null ? string.Empty : $"INSERT INTO auth.users (id) VALUES ('{UserA}'), ('{UserB}') ON CONFLICT DO NOTHING; ";

    private static async Task<Proof> ReadAsync(NpgsqlConnection connection, CatalogRelation table, string role, CatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        var row = Users(snapshot) + await RowValues.InsertAsync(connection, table, cancellationToken).ConfigureAwait(false);
        var attempt = $"SELECT count(*) FROM {table.QualifiedName}";
        var result = await ProofRunner.RunAsync(connection, row, role, role == "anon" ? null : UserB, attempt, relaxForeignKeys: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statements = Statements(row, role, attempt);
        if (result.Refused)
        {
            return new Proof(false, statements, $"{role}'s SELECT was refused: {result.Error}");
        }

        if (result.Error is not null)
        {
            return new Proof(null, statements, $"the attempt failed for another reason: {result.SqlState}: {result.Error}");
        }

        var count = result.Rows.FirstOrDefault() ?? "0";
        return result.SetupError is null
            ? new Proof(true, statements, $"{role} read {count} row(s) of {table.QualifiedName}, including the one the proof inserted as the owner")
            : new Proof(true, statements, $"{role}'s SELECT on {table.QualifiedName} was allowed ({count} row(s); the proof's own row would not go in: {result.SetupError})");
    }

    private static async Task<Proof> WriteAsync(NpgsqlConnection connection, CatalogRelation table, PolicyAudit.PolicyAccess access, CatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        var users = Users(snapshot);
        var row = await RowValues.InsertAsync(connection, table, cancellationToken).ConfigureAwait(false);
        var assignment = await RowValues.AssignmentAsync(connection, table, access.Role, cancellationToken).ConfigureAwait(false) ?? "id = id";
        var user = access.Role == "anon" ? null : UserB;

        // For an INSERT, the parents are the proof's setup and the row itself is the attempt.
        var cut = row.LastIndexOf("; INSERT INTO", StringComparison.Ordinal);
        var own = cut < 0 ? row : row[(cut + 2)..];
        var attempt = access.Command switch
        {
            'w' => $"UPDATE {table.QualifiedName} SET {assignment}",
            'd' => $"DELETE FROM {table.QualifiedName}",
            'a' => own,
            _ => $"SELECT count(*) FROM {table.QualifiedName}",
        };
        var setup = access.Command == 'a' ? users + (cut < 0 ? string.Empty : row[..cut]) : users + row;
        var result = await ProofRunner.RunAsync(connection, setup, access.Role, user, attempt, relaxForeignKeys: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statements = Statements(setup, access.Role, attempt);
        var who = user is null ? access.Role : $"{access.Role} user B ({UserB})";
        if (result.Error is not null)
        {
            return new Proof(result.Refused || result.SqlState == "42501" ? false : null, statements,
                $"{who} was refused: {result.SqlState}: {result.Error}");
        }

        if (result.SetupError is not null && access.Command != 'a')
        {
            return new Proof(null, statements, $"not proved: the proof's own row would not go in ({result.SetupError})");
        }

        return access.Command switch
        {
            'a' => new Proof(true, statements, $"{who} inserted a row whose uuid columns name user A ({UserA}), through policy \"{access.Policy.Name}\""),
            'r' => new Proof(true, statements, $"{who} read {result.Rows.FirstOrDefault() ?? "0"} row(s), the proof's own among them, through policy \"{access.Policy.Name}\""),
            _ when result.Affected > 0 => new Proof(true, statements,
                $"{who} {(access.Command == 'w' ? "updated" : "deleted")} {result.Affected} row(s) {(own.Contains(UserA, StringComparison.Ordinal) ? $"owned by user A ({UserA})" : "the proof inserted as the owner")} through policy \"{access.Policy.Name}\""),
            _ => new Proof(false, statements, $"{who}'s {(access.Command == 'w' ? "UPDATE" : "DELETE")} reached no row"),
        };
    }

    private static async Task<Proof> CallAsync(NpgsqlConnection connection, CatalogFunction function, CatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        var role = function.ExecutableBy.Contains("anon") && snapshot.Reaches("anon", function.Schema) ? "anon" : function.ExecutableBy.First(r => snapshot.Reaches(r, function.Schema));
        var arguments = await RowValues.ArgumentsAsync(connection, function, cancellationToken).ConfigureAwait(false);
        var attempt = $"SELECT {Sql.Identifier(function.Schema)}.{Sql.Identifier(function.Name)}({arguments})";
        var result = await ProofRunner.RunAsync(connection, string.Empty, role, role == "anon" ? null : UserB, attempt, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statements = Statements(string.Empty, role, attempt);
        if (result.SqlState is "42501")
        {
            return new Proof(false, statements, $"{role}'s call was refused: {result.Error}");
        }

        return result.Error is null
            ? new Proof(true, statements, $"{role} called {function.Signature}; it ran with {function.Owner}'s rights and returned {(result.Rows.Count == 0 ? "nothing" : string.Join(", ", result.Rows.Take(3)))}")
            : new Proof(true, statements, $"{role} called {function.Signature} and it ran with {function.Owner}'s rights (its body then raised {result.SqlState}: {result.Error})");
    }

    private static async Task<Proof> ListAsync(NpgsqlConnection connection, string bucket, CatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        var role = snapshot.ApiRoles.Contains("anon") ? "anon" : snapshot.ApiRoles.First();
        var literal = Sql.Literal(bucket);
        var setup = $"INSERT INTO storage.objects (bucket_id, name) VALUES ({literal}, '{UserA}/hotdash-proof-1.txt'), ({literal}, '{UserA}/hotdash-proof-2.txt')";
        var attempt = $"SELECT count(*) FROM storage.objects WHERE bucket_id = {literal}";
        var result = await ProofRunner.RunAsync(connection, setup, role, role == "anon" ? null : UserB, attempt, relaxForeignKeys: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statements = Statements(setup, role, attempt);
        if (result.Error is not null || result.SetupError is not null)
        {
            return new Proof(result.Refused ? false : null, statements, $"not proved: {result.SetupError ?? result.SqlState + ": " + result.Error}");
        }

        var count = result.Rows.FirstOrDefault() ?? "0";
        return count == "0"
            ? new Proof(false, statements, $"{role} listed no object of bucket '{bucket}'")
            : new Proof(true, statements, $"{role} listed {count} object(s) of bucket '{bucket}', the 2 the proof uploaded as the owner among them");
    }

    private static CatalogRelation? Relation(CatalogSnapshot snapshot, Subject subject) =>
        subject.Kind == SubjectKind.Table ? snapshot.Relations.FirstOrDefault(r => r.QualifiedName == subject.Name) : null;

    private static string Statements(string setup, string role, string attempt) =>
        (string.IsNullOrEmpty(setup) ? string.Empty : $"[as the owner] {setup}; ") + $"SET LOCAL ROLE {role}; [request.jwt.claims for a made-up user] {attempt}; ROLLBACK";

    private static Finding Apply(Finding finding, Proof proof)
    {
        var evidence = finding.Evidence.Concat([$"proof (rolled back): {proof.Statements}", $"proof result: {proof.Outcome}"]).ToList();
        return proof.Exploited switch
        {
            true => finding with { Message = $"{finding.Message} Proved on the disposable database: {proof.Outcome}.", Evidence = evidence },
            false => finding with
            {
                Severity = Severity.Info,
                Message = $"Not exploitable as claimed: {proof.Outcome}. (The check said: {finding.Message})",
                Evidence = evidence,
            },
            null => finding with { Message = $"{finding.Message} Not proved on the disposable database: {proof.Outcome}.", Evidence = evidence },
        };
    }
}
