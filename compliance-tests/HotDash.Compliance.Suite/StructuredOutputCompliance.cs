using System.Linq;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.StructuredOutputs;

namespace HotDash.Compliance.Suite;

/// <summary>Every structured-output type of the assemblies named in the rules: accepted by OpenAI strict mode?</summary>
public abstract class StructuredOutputCompliance
{
    public static TheoryData<string> Types() =>
        SuiteAudit.Subjects(o => o.StructuredOutputs?.Subjects.Select(Row) ?? [], "(no structured-output assemblies in the rules)");

    /// <summary>A type by its full name; an assembly that could not be read as "assembly path".</summary>
    private static string Row(Subject subject) => subject.Kind == SubjectKind.Type ? subject.Name : subject.ToString();

    [Theory]
    [MemberData(nameof(Types), DisableDiscoveryEnumeration = true)]
    public void Structured_output_type_is_accepted_by_strict_mode(string type)
    {
        Assert.SkipWhen(SuiteAudit.Outcome.StructuredOutputs is null, "the rules name no assemblies under structuredOutputs.assemblies");
        var subject = SuiteAudit.Outcome.StructuredOutputs!.Subjects.Single(s => Row(s) == type);
        SuiteAudit.AssertPasses(SuiteAudit.Outcome.Findings.Where(f => f.Concern == StructuredOutputTypeAudit.Concern && f.About == subject).ToList());
    }
}
