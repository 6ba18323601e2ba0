using System;
using System.Linq;
using System.Text.RegularExpressions;
using HotDash.Compliance.Audit.Rules;
using HotDash.Compliance.Audit.StructuredOutputs;

namespace HotDash.Compliance.Audit.Tests.StructuredOutputs;

/// <summary>
/// The test-time audit follows the profile the rules file selects, the same as the analyzers: the examples in
/// docs/strict-mode.md are real rules files, and a declared profile changes the verdict on the same schema.
/// </summary>
public sealed class StrictProfileAuditTests
{
    private const string Schema = """
        {"type":"object","properties":{"when":{"type":"string","format":"date-time","description":"d"},"depth":{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{"c":{"type":"object","properties":{},"required":[],"additionalProperties":false}},"required":["c"],"additionalProperties":false}},"required":["b"],"additionalProperties":false}},"required":["a"],"additionalProperties":false}},"required":["when","depth"],"additionalProperties":false}
        """;

    [Fact]
    public void The_documented_examples_are_valid_rules_files_and_their_profiles_are_followed()
    {
        var blocks = Regex.Matches(Repository.Read("docs", "strict-mode.md"), "```json\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        blocks.Should().HaveCountGreaterThanOrEqualTo(2);

        var azure = RulesFile.Parse(blocks[0], "docs example 1").Document.StructuredOutputs;
        azure.Profile.Should().Be("azure-openai");
        Messages(azure).Should().BeEquivalentTo(["In context=('properties', 'when'), 'format' is not permitted. (profile 'azure-openai')"]);

        var house = RulesFile.Parse(blocks[1], "docs example 2").Document.StructuredOutputs;
        Messages(house).Should().BeEquivalentTo(
        [
            "In context=('properties', 'when'), 'description' is not permitted. (profile 'house-gateway')",
            "In context=('properties', 'depth', 'properties', 'a', 'properties', 'b', 'properties', 'c'), objects may be nested at most 4 levels deep; this one is at level 5 (profile 'house-gateway')",
        ]);
    }

    [Fact]
    public void The_default_profile_takes_what_openai_takes_today()
    {
        Messages(RulesFile.BuiltIn().Document.StructuredOutputs).Should().BeEmpty();
    }

    [Fact]
    public void A_profile_declared_nowhere_is_a_rules_file_error_at_its_name()
    {
        var act = () => RulesFile.Parse("""{ "version": 1, "structuredOutputs": { "profile": "azure" } }""", "rules.json");
        act.Should().Throw<RulesFileException>().Which.Problems.Should().ContainSingle()
            .Which.ToString().Should().Be("rules.json(1,51): $.structuredOutputs.profile: structuredOutputs.profile 'azure' is not declared in structuredOutputs.profiles (openai, azure-openai are); declare it there or pick a declared one");
    }

    private static string[] Messages(StructuredOutputRules rules) =>
        [.. StructuredOutputTypeAudit.AuditSchema(Schema, new HotDash.Compliance.Audit.Findings.Subject(HotDash.Compliance.Audit.Findings.SubjectKind.Other, "schema"), "test", rules).Select(f => f.Message[(f.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..])];
}
