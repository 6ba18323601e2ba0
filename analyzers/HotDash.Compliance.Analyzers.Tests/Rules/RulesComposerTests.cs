using System.Collections.Generic;
using System.Linq;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.Rules;

namespace HotDash.Compliance.Analyzers.Tests.Rules;

/// <summary>"extends": what merges by name, what replaces, and where each problem is reported.</summary>
public class RulesComposerTests
{
    private static RulesLoadResult Load(string leaf, params (string Path, string Text)[] files)
    {
        var byPath = files.ToDictionary(f => f.Path, f => f.Text);
        return RulesLoader.Load(new RulesText("/repo/app/hotdash.rules.json", leaf), (reference, from) =>
        {
            var target = RulesComposer.RelativeTarget(reference, from.Origin);
            if (target is null)
            {
                return (BuiltInRules.Canonical, null);
            }

            return byPath.TryGetValue(target, out var text) ? (new RulesText(target, text), null) : (null, $"{target} is not there");
        });
    }

    [Fact]
    public void Extending_the_canonical_rules_keeps_them_and_adds_what_the_file_names()
    {
        var result = Load("""
            { "version": 1, "extends": "hotdash:canonical",
              "configuration": { "deprecatedKeys": [ { "key": "LEGACY_API_KEY", "replacement": "use ApiKeys:Current" } ] } }
            """);
        result.Problems.Should().BeEmpty();
        result.Rules!.DeprecatedKeys.Select(k => k.Key).Should().Equal("SHOPIFY_ADMIN_TOKEN", "LEGACY_API_KEY");
        result.Rules.BannedApis.Select(b => b.SymbolId).Should().Equal(RulesLoader.Defaults.BannedApis.Select(b => b.SymbolId), "what the file does not mention is inherited");
        result.Rules.SecretPatterns.Select(p => p.Id).Should().Equal(RulesLoader.Defaults.SecretPatterns.Select(p => p.Id));
    }

    [Fact]
    public void Remove_drops_inherited_named_entries_before_the_file_merges_its_own()
    {
        var result = Load("""
            { "version": 1, "extends": "../base.rules.json",
              "remove": ["configuration.deprecatedKeys[SHOPIFY_ADMIN_TOKEN]", "fly.apps[api].processes[worker]", "fly.apps[chat]"],
              "configuration": { "deprecatedKeys": [ { "key": "LEGACY_API_KEY", "replacement": "use ApiKeys:Current" } ] } }
            """,
            ("/repo/base.rules.json", """
            { "version": 1, "extends": "hotdash:canonical", "fly": { "apps": [
              { "name": "api", "config": "fly.toml", "processes": [ { "group": "app", "minMemory": 512 }, { "group": "worker", "minMemory": 2048 } ] },
              { "name": "chat", "config": "chat/fly.toml", "processes": [ { "group": "app", "minMemory": 2048 } ] } ] } }
            """));
        result.Problems.Should().BeEmpty();
        result.Rules!.DeprecatedKeys.Select(k => k.Key).Should().Equal("LEGACY_API_KEY");
        var apps = result.Composed!.Root!.Get("fly")!.Get("apps")!.Items;
        apps.Select(a => a.GetString("name")).Should().Equal("api");
        apps[0].Get("processes")!.Items.Select(p => p.GetString("group")).Should().Equal("app");
        result.Composed.Root.Get("remove").Should().BeNull("remove is an instruction to the merge, not a rule");
    }

    [Theory]
    [InlineData("fly.apps[nope]", "no inherited entry of 'fly.apps' has name 'nope' (inherited: api)")]
    [InlineData("fly.apps", "is not a path to a named entry")]
    [InlineData("fly.apps[api].", "is not a path to a named entry")]
    [InlineData("database.provider[supabase]", "'database.provider' is not a list of named entries")]
    [InlineData("latency.endpoints[tiles]", "nothing inherited is at 'latency'")]
    public void A_removal_that_names_nothing_inherited_is_reported_at_its_string_in_the_file_that_holds_it(string removal, string message)
    {
        var leaf = $$"""{ "version": 1, "extends": "../base.rules.json", "remove": ["{{removal}}"] }""";
        var result = Load(leaf, ("/repo/base.rules.json", """{ "version": 1, "extends": "hotdash:canonical", "fly": { "apps": [ { "name": "api", "config": "fly.toml", "processes": [ { "group": "app", "minMemory": 512 } ] } ] } }"""));
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("$.remove[0]");
        problem.Message.Should().Contain(message);
        problem.Origin.Should().Be("/repo/app/hotdash.rules.json");
        problem.Start.Should().Be(leaf.IndexOf('"' + removal + '"', System.StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_without_extends_is_reported()
    {
        var result = Load("""{ "version": 1, "remove": ["fly.apps[api]"] }""");
        result.Problems.Should().ContainSingle(p => p.Path == "$.remove" && p.Message.Contains("extends nothing"));
    }

    [Fact]
    public void A_schema_problem_is_named_by_its_path_in_the_file_that_holds_it_not_in_the_merge()
    {
        // The leaf's first app is the merge's second: the user reads apps[0] in their own file.
        var leaf = """{ "version": 1, "extends": "../base.rules.json", "fly": { "apps": [ { "name": "web", "config": "fly.toml", "processes": [ { "group": "app", "minMemory": "lots" } ] } ] } }""";
        var result = Load(leaf, ("/repo/base.rules.json", """{ "version": 1, "fly": { "apps": [ { "name": "api", "config": "fly.toml", "processes": [ { "group": "app", "minMemory": 512 } ] } ] } }"""));
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("$.fly.apps[0].processes[0].minMemory");
        problem.Origin.Should().Be("/repo/app/hotdash.rules.json");
    }

    [Fact]
    public void A_named_entry_merges_into_the_inherited_one_member_by_member()
    {
        var result = Load("""
            { "version": 1, "extends": "hotdash:canonical",
              "configuration": { "deprecatedKeys": [ { "key": "SHOPIFY_ADMIN_TOKEN", "replacement": "our own wording" } ] } }
            """);
        var key = result.Rules!.DeprecatedKeys.Should().ContainSingle().Which;
        key.Replacement.Should().Be("our own wording");
        key.Aliases.Should().Equal(RulesLoader.Defaults.DeprecatedKeys[0].Aliases, "members the entry does not restate are inherited");
    }

    [Fact]
    public void Lists_of_plain_values_replace_the_inherited_list_and_scalars_override()
    {
        var result = Load(
            """{ "version": 1, "extends": "../base.rules.json", "database": { "forbiddenProviders": ["neon"], "provider": "supabase" } }""",
            ("/repo/base.rules.json", """{ "version": 1, "database": { "provider": "fly-postgres", "forbiddenProviders": ["fly-postgres", "rds"] } }"""));
        result.Problems.Should().BeEmpty();
        result.Rules!.Database.Forbidden.Should().Equal("neon");
        result.Rules.Database.Declared.Should().Be("supabase");
    }

    [Fact]
    public void Chains_merge_from_the_furthest_base_to_the_file()
    {
        var result = Load(
            """{ "version": 1, "extends": "../team.rules.json", "bannedApis": [ { "symbol": "M:A.B", "message": "app" } ] }""",
            ("/repo/team.rules.json", """{ "version": 1, "extends": "org/base.rules.json", "bannedApis": [ { "symbol": "M:C.D", "message": "team" }, { "symbol": "M:E.F", "message": "team wording" } ] }"""),
            ("/repo/org/base.rules.json", """{ "version": 1, "extends": "hotdash:canonical", "bannedApis": [ { "symbol": "M:E.F", "message": "org" } ] }"""));
        result.Problems.Should().BeEmpty();
        result.Composed!.Sources.Select(s => s.Origin).Should().Equal("/repo/app/hotdash.rules.json", "/repo/team.rules.json", "/repo/org/base.rules.json", "hotdash:canonical");
        result.Rules!.BannedApis.Select(b => $"{b.SymbolId}={b.Message}").Should().Equal(
            RulesLoader.Defaults.BannedApis.Select(b => $"{b.SymbolId}={b.Message}").Concat(["M:E.F=team wording", "M:C.D=team", "M:A.B=app"]));
    }

    [Fact]
    public void A_problem_is_reported_in_the_file_that_holds_it()
    {
        var result = Load(
            """{ "version": 1, "extends": "../base.rules.json" }""",
            ("/repo/base.rules.json", "{\n  \"version\": 1,\n  \"colour\": \"red\"\n}"));
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Origin.Should().Be("/repo/base.rules.json");
        problem.Path.Should().Be("$.colour");
        problem.Start.Should().Be("{\n  \"version\": 1,\n  ".Length);
    }

    [Fact]
    public void A_merged_entry_that_misses_a_required_member_is_reported_where_the_file_wrote_it()
    {
        // A new Fly app must say where its fly.toml is; restating a known app need not.
        var result = Load("""{ "version": 1, "extends": "../base.rules.json", "fly": { "apps": [ { "name": "chat", "processes": [ { "group": "web", "minMemory": 512 } ] }, { "name": "new-app" } ] } }""",
            ("/repo/base.rules.json", """{ "version": 1, "extends": "hotdash:canonical", "fly": { "apps": [ { "name": "other", "config": "other.toml", "processes": [] }, { "name": "chat", "config": "chat.toml", "processes": [ { "group": "worker", "minMemory": 2048 } ] } ] } }"""));
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("$.fly.apps[1].config", "new-app is the file's second app (the merge's third)");
        problem.Origin.Should().Be("/repo/app/hotdash.rules.json");
    }

    [Fact]
    public void A_missing_file_is_reported_at_the_extends_value()
    {
        const string Text = """{ "version": 1, "extends": "../missing.rules.json" }""";
        var problem = Load(Text).Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("$.extends");
        problem.Start.Should().Be(Text.IndexOf("\"../missing", System.StringComparison.Ordinal));
        problem.Message.Should().Be("cannot extend '../missing.rules.json': /repo/missing.rules.json is not there");
    }

    [Fact]
    public void A_loop_is_reported_where_it_closes()
    {
        const string Leaf = """{ "version": 1, "extends": "../base.rules.json" }""";
        var result = Load(Leaf,
            ("/repo/base.rules.json", """{ "version": 1, "extends": "app/hotdash.rules.json" }"""),
            ("/repo/app/hotdash.rules.json", Leaf));
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Origin.Should().Be("/repo/base.rules.json");
        problem.Message.Should().Be("'app/hotdash.rules.json' is /repo/app/hotdash.rules.json, which already takes part in this chain: rules files cannot extend one another in a loop");
    }

    [Fact]
    public void Extends_must_be_a_string()
    {
        var result = Load("""{ "version": 1, "extends": 3 }""");
        result.Problems.Should().Contain(p => p.Path == "$.extends" && p.Message.StartsWith("expected string"));
    }

    [Fact]
    public void Provenance_names_the_file_line_and_column_of_every_value()
    {
        var result = Load("{ \"version\": 1,\n  \"extends\": \"hotdash:canonical\",\n  \"bannedApis\": [ { \"symbol\": \"M:A.B\", \"message\": \"no\" } ] }");
        var provenance = result.Composed!.Provenance().ToDictionary(p => p.Pointer, p => $"{p.Origin}:{p.Line}:{p.Column}");
        provenance["/version"].Should().Be("/repo/app/hotdash.rules.json:1:14");
        provenance["/bannedApis/0"].Should().StartWith("hotdash:canonical:");
        provenance["/bannedApis/1"].Should().Be("/repo/app/hotdash.rules.json:3:19");
        provenance["/bannedApis/1/message"].Should().Be("/repo/app/hotdash.rules.json:3:51");
        provenance["/configuration/deprecatedKeys/0/key"].Should().StartWith("hotdash:canonical:");
        provenance.Keys.Should().NotContain("/extends");
    }

    [Fact]
    public void Every_array_of_named_entries_in_the_schema_says_by_what_it_merges()
    {
        var schema = HotDash.Compliance.Json.JsonParser.Parse(Repository.Read("rules", "canonical-stack.schema.json")).Value!;
        var unkeyed = new List<string>();
        void Walk(HotDash.Compliance.Json.JsonValue node, string path)
        {
            if (node.Kind != HotDash.Compliance.Json.JsonKind.Object)
            {
                return;
            }

            var items = node.Get("items");
            var target = items?.GetString("$ref") is { } reference ? schema.Get("definitions")!.Get(reference.Split('/')[^1]) : items;
            if (node.GetString("type") == "array" && target?.GetString("type") == "object")
            {
                var key = node.GetString("x-mergeKey");
                if (key is null || !target.GetItems("required").Any(r => r.Text == key))
                {
                    unkeyed.Add(path);
                }
            }

            foreach (var member in node.Members)
            {
                Walk(member.Value, path + "/" + member.Name);
            }
        }

        Walk(schema, string.Empty);
        unkeyed.Should().BeEmpty("an array of objects without a required x-mergeKey could not merge by name");
    }
}
