using System.IO;
using System.Linq;
using System.Reflection;
using HotDash.Compliance.Audit.Findings;

namespace HotDash.Compliance.Audit.Tests;

/// <summary>Every audit rule ID has its docs page, the help link of its findings.</summary>
public class AuditRulesDocsTests
{
    public static TheoryData<string> RuleIds() => new(
        typeof(AuditRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(AuditRules.HelpLinkBase))
            .Select(f => (string)f.GetValue(null)!));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Each_rule_has_a_docs_page_with_examples(string id)
    {
        AuditRules.HelpLink(id).Should().EndWith($"docs/rules/{id}.md");
        var page = Repository.PathOf("docs", "rules", id + ".md");
        File.Exists(page).Should().BeTrue();
        File.ReadAllText(page).Should().StartWith($"# {id}:").And.Contain("## Failing example").And.Contain("## Fixed example").And.Contain("## Configure or suppress");
    }
}
