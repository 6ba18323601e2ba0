#pragma warning disable CA1812 // the types below are audited, not instantiated by the tests
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.StructuredOutputs;
using HotDash.Compliance.Audit.Tests.Infrastructure;

namespace HotDash.Compliance.Audit.Tests.StructuredOutputs;

public sealed record Decision(string Action, string Reason = "");

public sealed record SafeDecision(string Action, string? Reason = null);

public sealed class Ticket
{
    public required string Title { get; init; }
    public string Summary { get; set; } = "";
    [DefaultValue(3)] public int Priority { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string Queue { get; set; } = "general";
    [JsonRequired] public string Owner { get; set; } = "";
    public string? Note { get; set; }
    public List<Step> Steps { get; init; } = [];
}

public sealed class Step
{
    public required string Text { get; init; }
    public int Minutes { get; set; } = 5;
    public Step? Next { get; init; }
}

/// <summary>"Always set by the deserializer": `= default!`/`= null!` and type defaults are no defaults (as for HD2002 at build time).</summary>
public sealed class Plan
{
    public string[] Steps { get; set; } = default!;
    public string Title { get; set; } = null!;
    public int Count { get; set; } = 0;
    public string Summary { get; set; } = "";
}

public sealed record PlanStep(string Text = null!, int Order = default, string Kind = "note");

public sealed class Open
{
    public required Dictionary<string, string> Labels { get; init; }
    public required object Payload { get; init; }
    public required JsonElement Raw { get; init; }
}

public class StructuredOutputTypeAuditTests
{
    private static IReadOnlyList<Finding> Audit<T>() =>
        StructuredOutputTypeAudit.AuditType(typeof(T), HotDash.Compliance.Audit.Findings.Subject.Type(typeof(T).FullName!), "test", HotDash.Compliance.Audit.Rules.RulesFile.BuiltIn().Document.StructuredOutputs);

    [Fact]
    public void The_sev1_start_up_crash_is_found_in_the_compiled_type_with_its_json_path()
    {
        var finding = Audit<Decision>().Should().ContainSingle().Which;
        finding.RuleId.Should().Be("HD2002");
        finding.Location.Should().EndWith("at $.properties.Reason");
        finding.Message.Should().Contain("'Decision.Reason' may be absent (its constructor parameter has a default value) but is not nullable");
    }

    [Fact]
    public void Null_forgiving_and_type_default_initializers_do_not_make_a_property_optional()
    {
        Audit<Plan>().Where(f => f.RuleId == "HD2002").Select(f => f.Location[(f.Location.IndexOf(" at ") + 4)..]).Should().Equal("$.properties.Summary");
        Audit<PlanStep>().Where(f => f.RuleId == "HD2002").Select(f => f.Location[(f.Location.IndexOf(" at ") + 4)..]).Should().Equal("$.properties.Kind");
    }

    [Fact]
    public void Through_an_sdk_that_requires_every_property_it_is_a_warning_that_the_model_fills_it_and_the_type_passes()
    {
        var findings = StructuredOutputTypeAudit.AuditType(typeof(Decision), HotDash.Compliance.Audit.Findings.Subject.Type("Decision"), "test", HotDash.Compliance.Audit.Rules.RulesFile.BuiltIn().Document.StructuredOutputs, "ChatClientStructuredOutputExtensions.GetResponseAsync");
        var warning = findings.Should().ContainSingle(f => f.RuleId == "HD2004").Which;
        warning.Severity.Should().Be(Severity.Warning);
        warning.Message.Should().Contain("'Decision.Reason' may be absent (its constructor parameter has a default value), but ChatClientStructuredOutputExtensions.GetResponseAsync sends it as required in strict mode: the model always fills it");
        findings.Should().Contain(f => f.Severity == Severity.Pass, "strict mode accepts the schema").And.NotContain(f => f.Fails);
    }

    [Fact]
    public void A_nullable_optional_field_passes()
    {
        Audit<SafeDecision>().Should().ContainSingle().Which.Severity.Should().Be(Severity.Pass);
    }

    [Fact]
    public void Every_optional_non_nullable_property_is_reported_with_its_path_including_nested_types()
    {
        Audit<Ticket>().Where(f => f.RuleId == "HD2002").Select(f => f.Location[(f.Location.IndexOf(" at ") + 4)..]).Should().BeEquivalentTo(
        [
            "$.properties.Summary",
            "$.properties.Priority",
            "$.properties.Queue",
            "$.properties.Steps",
            "$.properties.Steps.items.properties.Minutes",
        ]);
    }

    [Fact]
    public void Open_shapes_fail_strict_mode_with_the_json_context()
    {
        var findings = Audit<Open>().Where(f => f.RuleId == "HD2003").ToList();
        findings.Should().Contain(f => f.Message.Contains("'additionalProperties' is required to be supplied and to be false. Objects with open keys (dictionaries) are not supported"));
        findings.Should().Contain(f => f.Message.Contains("an empty schema accepts any JSON"));
        findings.Should().OnlyContain(f => f.Location.Contains(" at $."));
    }

    [Fact]
    public void The_strict_shape_requires_every_property_and_closes_objects()
    {
        var shaped = System.Text.Json.Nodes.JsonNode.Parse(StructuredOutputTypeAudit.StrictShape("""
            { "type": "object", "properties": { "a": { "type": "integer", "format": "int32" }, "b": { "oneOf": [ { "type": "null" }, { "type": "string" } ] } } }
            """))!;
        shaped["required"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("a", "b");
        shaped["additionalProperties"]!.GetValue<bool>().Should().BeFalse();
        shaped["properties"]!["a"]!["format"].Should().BeNull();
        shaped["properties"]!["b"]!["anyOf"].Should().NotBeNull();
    }

    [Fact]
    public void Types_listed_in_the_rules_are_audited_from_the_assembly()
    {
        var rules = Audits.Rules($$"""
            { "version": 1, "structuredOutputs": {
                "assemblies": ["{{typeof(Decision).Assembly.Location}}", "missing/Agent.dll"],
                "types": ["{{typeof(Decision).FullName}}", "{{typeof(SafeDecision).FullName}}"] } }
            """);
        var result = new StructuredOutputTypeAudit().Run(rules, Repository.Root);
        result.Subjects.Should().BeEquivalentTo([Subject.Type(typeof(Decision).FullName!), Subject.Type(typeof(SafeDecision).FullName!), Subject.Assembly("missing/Agent.dll")]);
        result.Findings.Should().Contain(f => f.Subject == "assembly missing/Agent.dll" && f.Message.Contains("does not exist: build it first"));
        result.Summary.Should().Be("Structured outputs: 1/3 types accepted by strict mode");
    }
}
