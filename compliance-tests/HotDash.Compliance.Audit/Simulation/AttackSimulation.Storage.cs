using System.Linq;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database.Catalog;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Report;
using Npgsql;

namespace HotDash.Compliance.Audit.Simulation;

// The attempts on Storage: user A's object in every bucket, downloaded and deleted by anon and user B, who also upload into A's folder.
public static partial class AttackSimulation
{
    private sealed partial class Run
    {
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
    }
}
