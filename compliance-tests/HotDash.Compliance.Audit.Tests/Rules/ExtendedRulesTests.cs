using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.Rules;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Tests.Rules;

/// <summary>
/// Rules that hold only what differs ("extends"), read by the audit from disk: the same effective rules as the
/// analyzers, problems at file:line:col in the file that holds them, and the effective rules with their provenance.
/// </summary>
public sealed class ExtendedRulesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hotdash-extends-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_sample_rules_file_holds_only_its_differences_and_the_audit_and_the_analyzers_read_the_same_rules()
    {
        var path = Repository.PathOf("samples", "hotdash.rules.json");
        var audit = RulesFile.Load(path).Document;
        var analyzers = RulesLoader.Load(new RulesText(path, File.ReadAllText(path)), (reference, _) => (BuiltInRules.Canonical, null));
        analyzers.Problems.Should().BeEmpty();

        audit.Configuration.DeprecatedKeys.Select(k => k.Key).Should().Equal(analyzers.Rules!.DeprecatedKeys.Select(k => k.Key)).And.Contain("SHOPIFY_ADMIN_TOKEN");
        audit.BannedApis.Select(b => b.Symbol).Should().Equal(analyzers.Rules.BannedApis.Select(b => b.SymbolId)).And.NotBeEmpty();
        audit.StructuredOutputs.EntryPoints.Select(e => e.Method).Should().Equal(analyzers.Rules.StructuredOutputs.EntryPoints.Select(e => e.TypeName + "." + e.Member));
        audit.Database.ForbiddenProviders.Should().Equal(analyzers.Rules.Database.Forbidden).And.Contain("fly-postgres");

        // The inherited worker's 2048 MB and the sample's own web group, in one app.
        audit.Fly.Apps.Should().ContainSingle().Which.Processes.Select(p => $"{p.Group}={p.MinMemory}").Should().Equal("worker=2048", "app=2048");
        File.ReadAllLines(path).Length.Should().BeLessThan(File.ReadAllLines(Repository.PathOf("rules", "canonical-stack.json")).Length / 2,
            "the sample states what differs from the canonical rules, not a copy of them");
    }

    [Fact]
    public void The_rules_sha256_is_the_files_own_bytes_not_the_merged_rules()
    {
        var leaf = Write("hotdash.rules.json", "\uFEFF{ \"version\": 1, \"extends\": \"hotdash:canonical\" }\n");
        var plain = Write("plain.rules.json", "{ \"version\": 1 }");

        RulesFile.Load(leaf).Sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(leaf))), "a reader checks it with sha256sum");
        RulesFile.Load(plain).Sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(plain))));
    }

    [Fact]
    public void A_chain_of_files_on_disk_merges_and_the_effective_rules_say_where_each_value_came_from()
    {
        Write("org/base.rules.json", """{ "version": 1, "extends": "hotdash:canonical", "fly": { "apps": [ { "name": "api", "config": "fly/api.toml", "processes": [ { "group": "app", "minMemory": 512 } ] } ] } }""");
        var leaf = Write("app/hotdash.rules.json", "{\n  \"version\": 1,\n  \"extends\": \"../org/base.rules.json\",\n  \"fly\": { \"apps\": [ { \"name\": \"api\", \"config\": \"fly/api.toml\", \"processes\": [ { \"group\": \"app\", \"minMemory\": 1024 } ] } ] }\n}\n");

        var rules = RulesFile.Load(leaf);
        rules.Document.Fly.Apps.Should().ContainSingle(a => a.Name == "api").Which.Processes.Should().ContainSingle().Which.MinMemory.ToString().Should().Be("1024");
        rules.Document.Configuration.DeprecatedKeys.Should().Contain(k => k.Key == "SHOPIFY_ADMIN_TOKEN", "the chain ends in the canonical rules");

        var written = rules.WriteEffectiveRules(Path.Combine(_folder, "report"), _folder);
        Path.GetFileName(written).Should().Be("effective-rules.json");
        using var effective = JsonDocument.Parse(File.ReadAllText(written));
        var sources = effective.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!).ToList();
        sources.Should().HaveCount(3);
        sources[0].Should().StartWith("app/hotdash.rules.json (SHA-256 ");
        sources[1].Should().StartWith("org/base.rules.json (SHA-256 ");
        sources[2].Should().MatchRegex(@"^hotdash:canonical \(SHA-256 [0-9a-f]{64}\), built into HotDash.Compliance \d+\.\d+\.\d+");
        var provenance = effective.RootElement.GetProperty("provenance");
        provenance.GetProperty("/fly/apps/0/processes/0/minMemory").GetString().Should().Be("app/hotdash.rules.json:4:111");
        provenance.GetProperty("/configuration/deprecatedKeys/0/key").GetString().Should().StartWith("hotdash:canonical:");
        effective.RootElement.GetProperty("rules").GetProperty("fly").GetProperty("apps")[0].GetProperty("processes")[0].GetProperty("minMemory").GetInt32().Should().Be(1024);
        effective.RootElement.GetProperty("rules").TryGetProperty("extends", out _).Should().BeFalse();
    }

    [Fact]
    public void A_problem_in_an_extended_file_is_reported_at_its_line_and_column_in_that_file()
    {
        var parent = Write("base.rules.json", "{\n  \"version\": 1,\n  \"fly\": { \"apps\": [ { \"name\": \"api\", \"config\": \"fly.toml\", \"processes\": [ { \"group\": \"app\", \"minMemory\": \"lots\" } ] } ] }\n}\n");
        var leaf = Write("app/hotdash.rules.json", """{ "version": 1, "extends": "../base.rules.json" }""");

        var error = FluentActions.Invoking(() => RulesFile.Load(leaf)).Should().Throw<RulesFileException>().Which;
        var problem = error.Problems.Should().ContainSingle().Which;
        problem.File.Should().Be(parent);
        (problem.Line, problem.Column).Should().Be((3, 107));
        problem.Path.Should().Be("$.fly.apps[0].processes[0].minMemory");
        error.Message.Should().Contain("base.rules.json(3,107)");
    }

    [Fact]
    public void A_missing_extended_file_is_reported_at_extends_and_changes_nothing()
    {
        var leaf = Write("hotdash.rules.json", """{ "version": 1, "extends": "../nowhere.rules.json" }""");
        var problem = FluentActions.Invoking(() => RulesFile.Load(leaf)).Should().Throw<RulesFileException>().Which.Problems.Should().ContainSingle().Which;
        problem.File.Should().Be(leaf);
        (problem.Line, problem.Column).Should().Be((1, 28));
        problem.Message.Should().Contain("nowhere.rules.json does not exist");
    }

    [Fact]
    public void Rules_without_extends_are_their_own_effective_rules()
    {
        var written = RulesFile.Load(Repository.PathOf("rules", "canonical-stack.json")).WriteEffectiveRules(_folder, Repository.Root);
        using var effective = JsonDocument.Parse(File.ReadAllText(written));
        effective.RootElement.GetProperty("sources").EnumerateArray().Should().ContainSingle().Which.GetString().Should().StartWith("rules/canonical-stack.json (SHA-256 ");
        effective.RootElement.GetProperty("provenance").EnumerateObject().Should().OnlyContain(p => p.Value.GetString()!.StartsWith("rules/canonical-stack.json:"));
    }
}
