using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using HotDash.Compliance.Audit;
using HotDash.Compliance.Audit.Fly;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Settings;
using Npgsql;

// Usage: dotnet run -c Release --project benchmarks/AuditCost -- [tables=10000] [schemas=20] [flyFiles=1000]
var tables = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var schemas = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var flyFiles = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
var repository = FindRepository();
var work = Directory.CreateTempSubdirectory("hotdash-audit-cost-").FullName;
// The server's directory must be reachable by the postgres user when this runs as root: not inside `work`.
var server = Path.Combine(Path.GetTempPath(), "hotdash-audit-cost-pg-" + Guid.NewGuid().ToString("N")[..8]);

var port = int.Parse(Run("bash", Path.Combine(repository, "scripts", "throwaway-postgres.sh"), "start", server).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
try
{
    // The database: N tables over S schemas, half without RLS, the other half with a policy, plus views.
    var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Command Timeout=600";
    Execute(admin, "CREATE DATABASE audit_cost");
    var database = admin.Replace("Database=postgres", "Database=audit_cost", StringComparison.Ordinal);
    var setup = Stopwatch.StartNew();
    var sql = new StringBuilder();
    for (var s = 0; s < schemas; s++)
    {
        sql.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA tenant_{s};");
    }

    for (var t = 0; t < tables; t++)
    {
        // One batch is one transaction: keep it under max_locks_per_transaction.
        if (t % 250 == 0 && sql.Length > 0)
        {
            Execute(database, sql.ToString());
            sql.Clear();
        }

        var name = $"tenant_{t % schemas}.t_{t}";
        sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {name} (id bigint PRIMARY KEY, shop_id bigint, body text);");
        if (t % 2 == 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY; CREATE POLICY p_{t} ON {name} USING (shop_id = 1);");
        }

        if (t % 40 == 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE VIEW tenant_{t % schemas}.v_{t} AS SELECT id FROM {name};");
        }
    }

    Execute(database, sql.ToString());
    Console.WriteLine($"setup: {tables} tables in {schemas} schemas created in {setup.Elapsed.TotalSeconds:0.0} s");

    // The canonical rules, auditing the benchmark's schemas; the Fly part is measured separately below.
    var canonical = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(repository, "rules", "canonical-stack.json")))!;
    canonical["database"]!["rls"]!["schemas"] = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(0, schemas).Select(s => (System.Text.Json.Nodes.JsonNode)$"tenant_{s}").ToArray());
    canonical.AsObject().Remove("fly");
    var rulesPath = Path.Combine(work, "rules.json");
    File.WriteAllText(rulesPath, canonical.ToJsonString());
    var rulesWithoutFly = RulesFile.Load(rulesPath).Document;
    var settings = new AuditSettings
    {
        DatabaseUrl = $"postgres://postgres@127.0.0.1:{port}/audit_cost",
        RulesPath = rulesPath,
        RepoRoot = work,
        ReportDirectory = Path.Combine(work, "report"),
    };

    // First run: cold (JIT, connection set-up); then three measured runs.
    Measure("database audit (cold)", () => AuditRunner.RunAsync(settings).GetAwaiter().GetResult(), out var cold);
    var best = TimeSpan.MaxValue;
    AuditOutcome? outcome = null;
    for (var i = 0; i < 3; i++)
    {
        var elapsed = Measure($"database audit (warm {i + 1})", () => AuditRunner.RunAsync(settings).GetAwaiter().GetResult(), out outcome);
        best = elapsed < best ? elapsed : best;
    }

    Console.WriteLine($"database audit: {tables} tables, {outcome!.Findings.Count} findings, {outcome.Report.DatabaseRoundTrips} round trips, best {best.TotalMilliseconds:0} ms (target < 2000 ms)");
    Console.WriteLine($"  {outcome.Rls!.Summary}");

    // 1,000 fly.toml files: the sample Chatwoot file with varied worker memory.
    var fly = Path.Combine(work, "fly");
    Directory.CreateDirectory(fly);
    var template = File.ReadAllText(Path.Combine(repository, "samples", "fly", "chatwoot", "fly.toml"));
    var apps = new System.Collections.Generic.List<FlyAppRule>();
    for (var i = 0; i < flyFiles; i++)
    {
        var app = $"app-{i}";
        File.WriteAllText(Path.Combine(fly, $"{app}.toml"), template.Replace("hotdash-chatwoot", app, StringComparison.Ordinal).Replace("memory = \"1gb\"", $"memory = \"{512 * (1 + (i % 8))}mb\"", StringComparison.Ordinal));
        apps.Add(new FlyAppRule { Name = app, Config = $"fly/{app}.toml", Processes = [new FlyProcessRule("worker", System.Text.Json.JsonDocument.Parse("2048").RootElement)] });
    }

    var flyRules = rulesWithoutFly with { Fly = new FlyRules { Apps = apps } };
    Measure("fly.toml audit (cold)", () => new FlyMemoryAudit().Run(flyRules, work, []), out _);
    FlyAuditResult? flyResult = null;
    var flyBest = TimeSpan.MaxValue;
    for (var i = 0; i < 3; i++)
    {
        var elapsed = Measure($"fly.toml audit (warm {i + 1})", () => new FlyMemoryAudit().Run(flyRules, work, []), out flyResult);
        flyBest = elapsed < flyBest ? elapsed : flyBest;
    }

    Console.WriteLine($"fly.toml audit: {flyFiles} files, {flyResult!.Findings.Count} findings, best {flyBest.TotalMilliseconds:0} ms (target < 1000 ms)");
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / (1024 * 1024)} MB; allocated in total: {GC.GetTotalAllocatedBytes(precise: true) / (1024 * 1024)} MB");
}
finally
{
    Run("bash", Path.Combine(repository, "scripts", "throwaway-postgres.sh"), "stop", server);
    Directory.Delete(work, recursive: true);
}

static TimeSpan Measure<T>(string what, Func<T> action, out T result)
{
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    result = action();
    watch.Stop();
    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / (1024.0 * 1024.0);
    Console.WriteLine($"  {what}: {watch.Elapsed.TotalMilliseconds:0} ms, {allocated:0.0} MB allocated");
    return watch.Elapsed;
}

static void Execute(string connectionString, string sql)
{
    using var connection = new NpgsqlConnection(connectionString);
    connection.Open();
    using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    command.ExecuteNonQuery();
}

static string Run(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}");
    }

    return output;
}

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "HotDash.Compliance.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the HotDash.Compliance repository");
}
