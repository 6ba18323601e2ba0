using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
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
public static partial class AttackSimulation
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

    private sealed partial class Run(NpgsqlConnection connection, CatalogSnapshot snapshot, RulesDocument rules, TenantSeed seed, CancellationToken cancellationToken)
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
        private readonly List<(SeedTable Membership, AccessCell Cell)> _memberships = [];
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

        // A database with no seeded row of A's has an empty fingerprint: nothing to read back.
        private Task<ProofResult> TryAsync(Identity who, string attempt, string? readBack = null, IReadOnlyList<string>? followUps = null) =>
            ProofRunner.RunAsync(connection, string.Empty, who.Role, who.UserId, attempt, readBack is { Length: 0 } ? null : readBack,
                claims: who.Claims, headers: who.Forged, cookies: who.Forged, followUps: followUps, cancellationToken: cancellationToken);

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
    }
}
