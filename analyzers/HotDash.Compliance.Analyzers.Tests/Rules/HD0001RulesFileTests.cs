using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Rules.RulesFileAnalyzer>;
using VerifyHD1001 = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Configuration.DeprecatedConfigurationKeyAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.Rules;

public class HD0001RulesFileTests
{
    private const string RulesPath = "/repo/hotdash.rules.json";

    [Fact]
    public Task A_valid_rules_file_reports_nothing() =>
        Verify.VerifyAsync("class C { }", Repository.Read("rules", "canonical-stack.json"));

    [Fact]
    public Task Bad_json_is_reported_at_its_line_and_column() =>
        Verify.VerifyAsync("class C { }", "{\n  \"version\": 1,\n  \"configuration\": { ,\n}",
            Expected(3, 22, 3, 23, "JSON syntax", "unexpected ','; expected a property name in double quotes"));

    [Fact]
    public Task Trailing_commas_are_rejected_like_system_text_json_does() =>
        Verify.VerifyAsync("class C { }", "{ \"version\": 1, }",
            Expected(1, 17, 1, 18, "JSON syntax", "unexpected '}'; expected a property name in double quotes"));

    [Fact]
    public Task Schema_violations_are_reported_each_at_the_offending_token() =>
        Verify.VerifyAsync("class C { }", """
            {
              "version": 1,
              "configuration": {
                "deprecatedKeys": [ { "key": "X", "replacement": 3 } ]
              },
              "fly": { "apps": [ { "name": "a", "config": "fly.toml", "processes": [ { "group": "worker", "minMemory": "lots" } ] } ] },
              "colour": "red"
            }
            """,
            Expected(4, 54, 4, 55, "$.configuration.deprecatedKeys[0].replacement", "expected string, found integer"),
            Expected(6, 108, 6, 114, "$.fly.apps[0].processes[0].minMemory", "\"lots\" does not match the pattern ^[0-9]+(\\.[0-9]+)?\\s*([kKmMgGtT][iI]?[bB]?)?$"),
            Expected(7, 3, 7, 11, "$.colour", "unknown property 'colour'; known properties: $schema, version, extends, remove, configuration, bannedApis, structuredOutputs, database, fly, latency"));

    [Fact]
    public Task An_exemption_without_a_reason_is_reported() =>
        Verify.VerifyAsync("class C { }", """{ "version": 1, "database": { "rls": { "exemptions": [ { "table": "public.audit_log" } ] } } }""",
            Expected(1, 56, 1, 57, "$.database.rls.exemptions[0].reason", "missing required property 'reason'"));

    [Fact]
    public Task An_invalid_secret_regex_is_reported_at_the_pattern() =>
        Verify.VerifyAsync("class C { }", """{ "version": 1, "configuration": { "secretPatterns": [ { "id": "x", "description": "d", "pattern": "([a-z" } ] } }""",
            Expected(1, 100, 1, 107, "$.configuration.secretPatterns[0].pattern", "not a valid .NET regular expression: Invalid pattern '([a-z' at offset 5. Unterminated [] set."));

    [Fact]
    public Task An_invalid_secret_regex_in_a_file_that_extends_the_built_in_rules_is_reported_at_its_own_path() =>
        Verify.VerifyAsync("class C { }", """{ "version": 1, "extends": "hotdash:canonical", "configuration": { "secretPatterns": [ { "id": "x", "description": "d", "pattern": "([a-z" } ] } }""",
            Expected(1, 132, 1, 139, "$.configuration.secretPatterns[0].pattern", "not a valid .NET regular expression: Invalid pattern '([a-z' at offset 5. Unterminated [] set."));

    [Fact]
    public Task While_the_rules_file_is_invalid_the_defaults_still_apply() =>
        VerifyHD1001.VerifyAsync(
            """class C { string? M() => System.Environment.GetEnvironmentVariable({|HD1001:"SHOPIFY_ADMIN_TOKEN"|}); }""",
            "{ not json");

    [Fact]
    public Task Without_a_rules_file_the_defaults_apply() =>
        VerifyHD1001.VerifyAsync(
            """class C { string? M() => System.Environment.GetEnvironmentVariable({|HD1001:"SHOPIFY_ADMIN_TOKEN"|}); }""");

    [Fact]
    public Task A_valid_rules_file_replaces_the_defaults() =>
        VerifyHD1001.VerifyAsync(
            """class C { string? M() => System.Environment.GetEnvironmentVariable("SHOPIFY_ADMIN_TOKEN") + System.Environment.GetEnvironmentVariable({|HD1001:"OLD_KEY"|}); }""",
            """{ "version": 1, "configuration": { "deprecatedKeys": [ { "key": "OLD_KEY", "replacement": "use NEW_KEY" } ] } }""");

    [Fact]
    public Task Rules_that_extend_a_file_apply_what_both_declare()
    {
        var test = VerifyHD1001.Create(
            """class C { string? M() => System.Environment.GetEnvironmentVariable({|HD1001:"SHOPIFY_ADMIN_TOKEN"|}) + System.Environment.GetEnvironmentVariable({|HD1001:"OLD_KEY"|}) + System.Environment.GetEnvironmentVariable({|HD1001:"TEAM_KEY"|}); }""",
            """{ "version": 1, "extends": "../org/team.rules.json", "configuration": { "deprecatedKeys": [ { "key": "OLD_KEY", "replacement": "use NEW_KEY" } ] } }""");
        test.TestState.AdditionalFiles.Add(("/org/team.rules.json",
            """{ "version": 1, "extends": "hotdash:canonical", "configuration": { "deprecatedKeys": [ { "key": "TEAM_KEY", "replacement": "use the team's vault" } ] } }"""));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task A_problem_in_an_extended_file_is_reported_in_that_file()
    {
        var test = Verify.Create("class C { }", """{ "version": 1, "extends": "base.rules.json" }""");
        test.TestState.AdditionalFiles.Add(("/repo/base.rules.json", "{\n  \"version\": 1,\n  \"colour\": \"red\"\n}"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.RulesFileInvalid)
            .WithSpan("/repo/base.rules.json", 3, 3, 3, 11)
            .WithArguments("$.colour", "unknown property 'colour'; known properties: $schema, version, extends, remove, configuration, bannedApis, structuredOutputs, database, fly, latency"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task An_extended_file_the_build_did_not_pass_is_reported_at_extends_and_says_how_to_add_it() =>
        Verify.VerifyAsync("class C { }", """{ "version": 1, "extends": "../org.rules.json" }""",
            Expected(1, 28, 1, 47, "$.extends", "cannot extend '../org.rules.json': /org.rules.json is not among the project's AdditionalFiles; the HotDash.Compliance build targets add the files a rules file extends, three levels deep: for a longer chain add <AdditionalFiles Include=\"/org.rules.json\" HotDashRulesBase=\"true\" />"));

    private static DiagnosticResult Expected(int line, int column, int endLine, int endColumn, string where, string message) =>
        new DiagnosticResult(Descriptors.RulesFileInvalid)
            .WithSpan(RulesPath, line, column, endLine, endColumn)
            .WithArguments(where, message);
}
