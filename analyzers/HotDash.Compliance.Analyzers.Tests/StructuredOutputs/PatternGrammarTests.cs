using System.Linq;
using HotDash.Compliance.StructuredOutputs;

namespace HotDash.Compliance.Analyzers.Tests.StructuredOutputs;

/// <summary>
/// The 'pattern' grammar is ECMA-262's (Annex B, as browsers and JSON Schema validators read it), not .NET's: it must
/// take what JavaScript takes, refuse only what no dialect takes, and name the constructs a profile may refuse.
/// </summary>
public class PatternGrammarTests
{
    [Theory]
    [InlineData(@"^[A-Za-z0-9._+@$-]+(?:/[A-Za-z0-9._+@$-]+)*/?$")] // daydream's pattern without its lookaheads
    [InlineData(@"^\d{4}-\d{2}-\d{2}$")]
    [InlineData(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    [InlineData(@"a{,3}")] // Annex B: not a quantifier, a literal brace
    [InlineData(@"]")] // Annex B: a lone ']' is a literal
    [InlineData(@"[\]]")]
    [InlineData(@"(?<year>\d{4})")] // named groups are ECMA-262 (2018)
    [InlineData(@"[a-z\-0-9]")]
    [InlineData(@"x*?y+?z??")]
    [InlineData(@"")]
    public void Takes_what_JavaScript_takes(string pattern)
    {
        var analysis = PatternGrammar.Analyze(pattern);
        analysis.Error.Should().BeNull();
        analysis.Constructs.Should().BeEmpty();
    }

    [Theory]
    [InlineData(@"^(?!/)[a-z]+$", PatternGrammar.Lookaround)]
    [InlineData(@"^(?=.*\d)\w+$", PatternGrammar.Lookaround)]
    [InlineData(@"(?<!-)end$", PatternGrammar.Lookaround)]
    [InlineData(@"(?<=\$)\d+", PatternGrammar.Lookaround)]
    [InlineData(@"(a)\1", PatternGrammar.Backreference)]
    [InlineData(@"(?<q>['""]).*\k<q>", PatternGrammar.Backreference)]
    [InlineData(@"^\p{L}+$", PatternGrammar.UnicodePropertyEscape)]
    [InlineData(@"[\P{Cc}]", PatternGrammar.UnicodePropertyEscape)]
    public void Names_the_constructs_a_profile_may_refuse(string pattern, string construct)
    {
        var analysis = PatternGrammar.Analyze(pattern);
        analysis.Error.Should().BeNull();
        analysis.Constructs.Should().Equal(construct);
    }

    [Theory]
    [InlineData("(abc", "missing ')'")]
    [InlineData("abc)", "unmatched ')'")]
    [InlineData("*a", "nothing to repeat")]
    [InlineData("a**", "nothing to repeat")]
    [InlineData("[abc", "missing ']'")]
    [InlineData("[z-a]", "range out of order in character class")]
    [InlineData("a{3,1}", "numbers out of order in {} quantifier")]
    [InlineData("abc\\", "'\\' at the end of the pattern")]
    [InlineData("(?P<name>x)", "invalid group: '(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'")] // Python's syntax, not ECMA-262
    public void Refuses_what_no_dialect_takes(string pattern, string error)
    {
        PatternGrammar.Analyze(pattern).Error.Should().Be(error);
    }

    [Fact]
    public void Agrees_with_dotnet_on_the_patterns_both_dialects_share()
    {
        // Not the oracle (the dialects differ), a cross-check on ordinary patterns: what both would take, both take.
        string[] shared = [@"^[a-z]+$", @"\d+(\.\d+)?", @"^(foo|bar)baz$", @"[A-Z]{2,3}-\d{4}", @"^\w+@\w+\.com$"];
        shared.Select(p => PatternGrammar.Analyze(p).Error).Should().AllSatisfy(e => e.Should().BeNull());
        shared.Should().AllSatisfy(p => new System.Text.RegularExpressions.Regex(p).Should().NotBeNull());
    }
}
