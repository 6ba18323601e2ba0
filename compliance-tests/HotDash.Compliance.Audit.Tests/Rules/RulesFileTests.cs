using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Rules;
using HotDash.Compliance.Rules;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.Rules;

public class RulesFileTests
{
    /// <summary>Every rules file the repository ships (defaults, samples, docs examples).</summary>
    public static TheoryData<string> RepositoryRulesFiles()
    {
        var files = Directory.EnumerateFiles(Repository.Root, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains("TestData"))
            .Where(f => Path.GetFileName(f) is "canonical-stack.json" or "hotdash.rules.json")
            .Select(f => Path.GetRelativePath(Repository.Root, f));
        return new TheoryData<string>(files);
    }

    [Theory]
    [MemberData(nameof(RepositoryRulesFiles))]
    public void Every_rules_file_in_the_repository_is_valid(string relativePath)
    {
        var path = Repository.PathOf(relativePath);
        var loaded = RulesFile.Load(path);
        loaded.Document.Version.Should().Be(1);
        RulesLoader.Load(File.ReadAllText(path), path).Problems.Should().BeEmpty("the analyzer must accept what the suite accepts");
    }

    [Fact]
    public void The_defaults_declare_the_generic_checks_and_hotdashs_own_stack_lives_in_the_samples_rules()
    {
        var rules = RulesFile.BuiltIn().Document;
        rules.Configuration.DeprecatedKeys.Should().ContainSingle(k => k.Key == "SHOPIFY_ADMIN_TOKEN")
            .Which.Aliases.Should().Contain("Shopify:AdminToken");
        rules.Database.Provider.Should().Be("supabase");
        rules.Database.ForbiddenProviders.Should().Contain("fly-postgres");
        rules.Database.Rls.Schemas.Should().Equal("public");
        rules.Fly.Apps.Should().BeEmpty("the defaults are every adopter's: no app of HotDash's own");
        rules.Latency.Endpoints.Should().BeEmpty();

        // The Chatwoot worker's 2048 MB is HotDash's rule, declared in HotDash's rules (the sample's).
        var worker = RulesFile.Load(Repository.PathOf("samples", "hotdash.rules.json")).Document.Fly.Apps
            .Single(a => a.Name == "hotdash-chatwoot").Processes.Should().ContainSingle(p => p.Group == "worker").Which;
        worker.MinMemory.GetInt32().Should().Be(2048);
    }

    [Theory]
    [InlineData("wrong-type-version.json", "$.version")]
    [InlineData("unknown-top-level-key.json", "$.databse")]
    [InlineData("unknown-nested-key.json", "$.fly.apps[0].memory")]
    [InlineData("exemption-without-reason.json", "$.database.rls.exemptions[0].reason")]
    [InlineData("exemption-empty-reason.json", "$.database.rls.exemptions[0].reason")]
    [InlineData("bad-memory-value.json", "$.fly.apps[0].processes[0].minMemory")]
    [InlineData("zero-memory.json", "$.fly.apps[0].processes[0].minMemory")]
    [InlineData("memory-as-boolean.json", "$.fly.apps[0].processes[0].minMemory")]
    [InlineData("deprecated-key-without-replacement.json", "$.configuration.deprecatedKeys[0].replacement")]
    [InlineData("aliases-not-an-array.json", "$.configuration.deprecatedKeys[0].aliases")]
    [InlineData("banned-api-bad-id.json", "$.bannedApis[0].symbol")]
    [InlineData("bad-severity.json", "$.database.rls.noPolicySeverity")]
    [InlineData("entry-point-bad-kind.json", "$.structuredOutputs.entryPoints[0].kind")]
    [InlineData("missing-version.json", "$.version")]
    public void Invalid_rules_files_fail_with_the_json_path_in_both_validators(string file, string expectedPath)
    {
        var path = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "rules", "invalid", file);

        var load = () => RulesFile.Load(path);
        var error = load.Should().Throw<RulesFileException>().Which;
        error.Problems.Should().Contain(p => p.Path == expectedPath, $"NJsonSchema must name {expectedPath}");
        error.Problems.Should().OnlyContain(p => p.Line > 0 && p.Column > 0);
        error.Message.Should().Contain(expectedPath).And.Contain(path).And.Contain("HD0001");

        var analyzerProblems = RulesLoader.Load(File.ReadAllText(path), path).Problems;
        analyzerProblems.Should().Contain(p => p.Path == expectedPath, "the analyzer must reject the same file at the same path");
    }

    [Fact]
    public void Malformed_json_reports_line_and_column()
    {
        var parse = () => RulesFile.Parse("{\n  \"version\": 1,\n  \"fly\": { ,\n}", "inline.json");
        var problem = parse.Should().Throw<RulesFileException>().Which.Problems.Single();
        problem.Line.Should().Be(3);
        problem.Column.Should().Be(12);
        problem.Message.Should().StartWith("invalid JSON");
    }

    [Theory]
    [InlineData("{\n  \"version\": 1,\n}", 3, 1)]
    [InlineData("{ \"version\": 1 } trailing", 1, 18)]
    [InlineData("{ \"version\": 01 }", 1, 15)]
    public void A_syntax_error_is_told_in_plain_words_the_same_as_at_build_time(string json, int line, int column)
    {
        var problem = ((Action)(() => RulesFile.Parse(json, "inline.json"))).Should().Throw<RulesFileException>().Which.Problems.Single();
        (problem.Line, problem.Column).Should().Be((line, column));
        problem.Message.Should().NotContainAny("reader options", "LineNumber", "BytePositionInLine");
        var analyzer = RulesLoader.Load(json, "inline.json").Problems.Single();
        problem.Message.Should().Be("invalid JSON: " + analyzer.Message.Replace("invalid JSON: ", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>
    /// What the schema cannot say is asked of the core by both halves: a secret pattern .NET cannot compile is refused
    /// by the audit too, at the pattern, in the analyzers' words (HD0001's test has the same file), and for a file
    /// that extends the built-in rules as well.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_invalid_secret_regex_is_refused_at_the_pattern_as_the_analyzers_refuse_it(bool extends)
    {
        var json = """{ "version": 1, "configuration": { "secretPatterns": [ { "id": "x", "description": "d", "pattern": "([a-z" } ] } }""";
        if (extends)
        {
            json = json.Replace("\"version\": 1,", "\"version\": 1, \"extends\": \"hotdash:canonical\",", StringComparison.Ordinal);
        }

        var parse = () => RulesFile.Parse(json, "inline.json");
        var problem = parse.Should().Throw<RulesFileException>().Which.Problems.Single();
        problem.Path.Should().Be("$.configuration.secretPatterns[0].pattern", "the path is the file's own, not the merge's");
        problem.Message.Should().Be("not a valid .NET regular expression: Invalid pattern '([a-z' at offset 5. Unterminated [] set.");
        (problem.Line, problem.Column).Should().Be((1, json.IndexOf("\"([a-z\"", StringComparison.Ordinal) + 1));
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        var load = () => RulesFile.Load("/nonexistent/hotdash.rules.json");
        load.Should().Throw<RulesFileException>().WithMessage("*does not exist*");
    }

    [Fact]
    public void The_schema_only_uses_keywords_the_analyzer_validator_supports()
    {
        var schema = System.Text.Json.JsonDocument.Parse(RulesFile.SchemaText);
        var used = Keywords(schema.RootElement).ToHashSet();
        used.Should().BeSubsetOf(HotDash.Compliance.Json.JsonSchemaSubsetValidator.SupportedKeywords);
    }

    [Fact]
    public void The_hash_identifies_the_exact_text()
    {
        var a = RulesFile.Parse("{ \"version\": 1 }", "a");
        var b = RulesFile.Parse("{ \"version\": 1 } ", "b");
        a.Sha256.Should().HaveLength(64).And.NotBe(b.Sha256);
    }

    private static System.Collections.Generic.IEnumerable<string> Keywords(System.Text.Json.JsonElement schema)
    {
        if (schema.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in schema.EnumerateObject())
        {
            yield return property.Name;
            var children = property.Name switch
            {
                "properties" or "definitions" => property.Value.EnumerateObject().Select(p => p.Value),
                "items" or "additionalProperties" => [property.Value],
                _ => [],
            };
            foreach (var keyword in children.SelectMany(Keywords))
            {
                yield return keyword;
            }
        }
    }

    /// <summary>
    /// The audit gates rules files with the analyzers' validator and asks NJsonSchema only about the files it
    /// rejects: the two must agree on every file. Every value of the canonical file replaced by each JSON kind,
    /// every property removed, an unknown property added to every object.
    /// </summary>
    [Fact]
    public async Task The_fast_gate_and_njsonschema_agree_on_every_structural_variant_of_the_canonical_file()
    {
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(RulesFile.SchemaText, TestContext.Current.CancellationToken);
        var original = Repository.Read("rules", "canonical-stack.json");
        var paths = new List<object[]>();
        void Collect(System.Text.Json.Nodes.JsonNode? node, object[] path)
        {
            paths.Add(path);
            if (node is System.Text.Json.Nodes.JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    Collect(child, [.. path, key]);
                }
            }
            else if (node is System.Text.Json.Nodes.JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i], [.. path, i]);
                }
            }
        }

        Collect(System.Text.Json.Nodes.JsonNode.Parse(original), []);

        // A fresh copy per variant: change the value at the path (or remove it, or add an unknown property).
        string Variant(object[] path, Action<System.Text.Json.Nodes.JsonNode, object> change)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(original)!;
            var parent = root;
            foreach (var step in path[..^1])
            {
                parent = step is int i ? parent[i]! : parent[(string)step]!;
            }

            change(parent, path[^1]);
            return root.ToJsonString();
        }

        var variants = new List<string>();
        foreach (var path in paths.Where(p => p.Length > 0))
        {
            foreach (var kind in new[] { "42", "\"x\"", "true", "null", "[]", "{}", "-1", "\"\"" })
            {
                variants.Add(Variant(path, (parent, step) =>
                {
                    var value = System.Text.Json.Nodes.JsonNode.Parse(kind);
                    if (step is int i)
                    {
                        parent[i] = value;
                    }
                    else
                    {
                        parent[(string)step] = value;
                    }
                }));
            }

            if (path[^1] is string)
            {
                variants.Add(Variant(path, (parent, step) => parent.AsObject().Remove((string)step)));
            }

            variants.Add(Variant(path, (parent, step) =>
            {
                if ((step is int i ? parent[i] : parent[(string)step]) is System.Text.Json.Nodes.JsonObject target)
                {
                    target["unknownProperty"] = 1;
                }
            }));
        }

        variants.Should().HaveCountGreaterThan(500);
        foreach (var json in variants.Distinct())
        {
            var njsonschema = schema.Validate(json).Count == 0;
            bool ours;
            try
            {
                RulesFile.Parse(json, "variant.json");
                ours = true;
            }
            catch (RulesFileException)
            {
                ours = false;
            }

            // One rule is beyond JSON Schema: structuredOutputs.profile must name a declared (or built-in) profile.
            var structured = System.Text.Json.Nodes.JsonNode.Parse(json)?["structuredOutputs"] as System.Text.Json.Nodes.JsonObject;
            var named = structured?["profile"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var name) ? name : "openai";
            var declared = (structured?["profiles"] as System.Text.Json.Nodes.JsonArray ?? []).Select(p => (p as System.Text.Json.Nodes.JsonObject)?["name"]?.ToString()).Append("openai").Append("azure-openai");
            var expected = njsonschema && (structured is null || declared.Contains(named));
            ours.Should().Be(expected, $"NJsonSchema {(njsonschema ? "accepts" : "rejects")} and the profile is {(declared.Contains(named) ? "" : "not ")}declared:\n{json}");
        }
    }
}
