using System;
using System.Linq;
using System.Text.Json;
using HotDash.Compliance.Json;

namespace HotDash.Compliance.Analyzers.Tests.Json;

/// <summary>
/// The analyzer's JSON reader must accept and reject exactly what System.Text.Json's JsonDocument
/// does with default options, so that build time and test time agree on every file.
/// </summary>
public class JsonParserConformanceTests
{
    public static TheoryData<string> Documents() => new(
    [
        // accepted
        "{}", "[]", "0", "-0", "1.5e10", "-1E-2", "123456789012345678901234567890", "\"\"", "true", "false", "null",
        "  {\"a\" : [1, 2, {\"b\": null}], \"c\": \"\\u00e9\\n\\\"\" }  ", "{\"a\":1,\"a\":2}", "\"\\/\\b\\f\\r\\t\"",
        "[\"\\ud83d\\ude00\"]", "\uFEFF{}", "{\"\u00e9\": \"\u65e5\u672c\"}", "[[[[[[[[[[1]]]]]]]]]]", "\r\n\t[1]\r\n",
        // rejected
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[-]",
        "[NaN]", "[Infinity]", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"tab\there\"", "[1 2]", "{\"a\" 1}",
        "{\"a\":}", "[tru]", "[nul]", "// c\n{}", "{} {}", "{}x", "[1]]", "[\"a\",,\"b\"]", "{,}", "[,1]", "1a",
        "[1}", "{\"a\":1]", "\"\\", "\"\\u\"", "[\"\ud800\"]", "[\"a\udc00b\"]",
        // depth: JsonDocument's default maximum is 64
        new string('[', 64) + new string(']', 64),
        new string('[', 65) + new string(']', 65),
        string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64),
        string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 65),
    ]);

    [Theory]
    [MemberData(nameof(Documents))]
    public void Accepts_and_rejects_what_system_text_json_does(string document)
    {
        var expected = SystemTextJson.Accepts(document);

        var result = JsonParser.Parse(document);
        result.Succeeded.Should().Be(expected, $"System.Text.Json {(expected ? "accepts" : "rejects")} {document}; ours said: {result.Error}");
        if (!result.Succeeded)
        {
            result.ErrorOffset.Should().BeInRange(0, document.Length);
        }
    }

    [Fact]
    public void Records_spans_of_names_and_values()
    {
        const string Text = "{ \"key\": [ 12, \"x\\\"y\" ] }";
        var root = JsonParser.Parse(Text).Value!;
        var member = root.Members.Single();
        Text.Substring(member.NameStart, member.NameLength).Should().Be("\"key\"");
        var items = member.Value.Items;
        Text.Substring(items[0].Start, items[0].Length).Should().Be("12");
        Text.Substring(items[1].Start, items[1].Length).Should().Be("\"x\\\"y\"");
        items[1].Text.Should().Be("x\"y");
    }
}
