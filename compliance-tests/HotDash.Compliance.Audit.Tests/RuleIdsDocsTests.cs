using System.IO;
using System.Linq;
using System.Reflection;

namespace HotDash.Compliance.Audit.Tests;

/// <summary>Every rule ID (build time and test time, one list in the core) has its docs page, the help link of its findings.</summary>
public class RuleIdsDocsTests
{
    public static TheoryData<string> Ids() => new(AllIds());

    private static string[] AllIds() =>
        typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(RuleIds.HelpLinkBase))
            .Select(f => (string)f.GetValue(null)!)
            .ToArray();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_rule_has_a_docs_page_with_examples(string id)
    {
        RuleIds.HelpLink(id).Should().Be($"https://github.com/hotdash-dev/HotDash.Compliance/blob/main/docs/rules/{id}.md");
        var page = Repository.PathOf("docs", "rules", id + ".md");
        File.Exists(page).Should().BeTrue();
        File.ReadAllText(page).Should().StartWith($"# {id}:").And.Contain("## Failing example").And.Contain("## Fixed example").And.Contain("## Configure or suppress");
    }

    [Fact]
    public void Every_docs_page_is_a_rule_id()
    {
        var ids = AllIds().ToHashSet();
        Directory.GetFiles(Repository.PathOf("docs", "rules"), "HD*.md").Select(Path.GetFileNameWithoutExtension)
            .Should().OnlyContain(page => ids.Contains(page!), "a page without a rule ID documents a rule that does not exist");
    }
}
