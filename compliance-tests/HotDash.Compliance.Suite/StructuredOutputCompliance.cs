using System.Linq;
using HotDash.Compliance.Audit.StructuredOutputs;

namespace HotDash.Compliance.Suite;

/// <summary>Every structured-output type of the assemblies named in the rules: accepted by OpenAI strict mode?</summary>
public abstract class StructuredOutputCompliance
{
    public static TheoryData<string> Types() =>
        SuiteAudit.Subjects(o => o.StructuredOutputs?.Subjects.Select(s => s.StartsWith("type ", System.StringComparison.Ordinal) ? s[5..] : s) ?? [], "(no structured-output assemblies in the rules)");

    [Theory]
    [MemberData(nameof(Types), DisableDiscoveryEnumeration = true)]
    public void Structured_output_type_is_accepted_by_strict_mode(string type)
    {
        Assert.SkipWhen(SuiteAudit.Outcome.StructuredOutputs is null, "the rules name no assemblies under structuredOutputs.assemblies");
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == StructuredOutputTypeAudit.Concern && (f.Subject == "type " + type || f.Subject == type)).ToList());
    }
}
