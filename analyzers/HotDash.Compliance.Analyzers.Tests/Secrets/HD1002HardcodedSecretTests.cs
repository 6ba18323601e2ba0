using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.Secrets;

public class HD1002HardcodedSecretTests
{
    // Fake tokens: the right shape (prefix + 32 hex digits), never real credentials.
    private const string Token = "shpat_0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("\"{|HD1002:shpat_0123456789abcdef0123456789abcdef|}\"")]
    [InlineData("\"Bearer {|HD1002:shpca_0123456789ABCDEF0123456789ABCDEF|}\"")]
    [InlineData("\"x-token: {|HD1002:shppa_ffffffffffffffffffffffffffffffff|} \\n\"")]
    [InlineData("@\"\"\"{|HD1002:shpss_00000000000000000000000000000000|}\"\"\"")]
    [InlineData("\"\"\"\n    {|HD1002:shpat_0123456789abcdef0123456789abcdef|}\n    \"\"\"")]
    [InlineData("$\"{1} {|HD1002:shpat_0123456789abcdef0123456789abcdef|}\"")]
    [InlineData("\"{|HD1002:shpat_0123456789abcdef0123456789abcdef|}\"u8.ToArray()")]
    [InlineData("{|HD1002:\"shpat_0123456789abcdef\" + \"0123456789abcdef\"|}")]
    [InlineData("{|HD1002:Parts.A + Parts.B|}")]
    public Task Tokens_in_every_literal_form_are_reported(string expression) =>
        Verify.VerifyAsync(Program(expression));

    [Theory]
    [InlineData("\"shpat_0123456789abcdef\"")]
    [InlineData("\"shpat_0123456789abcdef0123456789abcdeg\"")]
    [InlineData("\"shpxx_0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"shpat_\" + token")]
    [InlineData("Environment.GetEnvironmentVariable(\"SHOPIFY_TOKEN\")")]
    public Task Near_misses_and_runtime_values_are_not_reported(string expression) =>
        Verify.VerifyAsync(Program(expression));

    [Fact]
    public Task Const_fields_are_reported_once_at_the_literal() =>
        Verify.VerifyAsync("""
            class Secrets
            {
                public const string AdminToken = "{|HD1002:shpat_0123456789abcdef0123456789abcdef|}";
                public static string Read() => AdminToken;
            }
            """);

    [Fact]
    public Task The_message_never_repeats_the_full_token() =>
        Verify.VerifyAsync(
            $$"""class C { string T = "{{Token}}"; }""",
            null,
            new DiagnosticResult(Descriptors.HardcodedSecret)
                .WithSpan(1, 23, 1, 61)
                .WithArguments("Shopify access token or shared secret", "shpat_0123…", "shopify-token", "keep it in a secret store and read it per request; rotate this one, it is in source control"));

    [Fact]
    public async Task Tokens_in_additional_files_are_reported_at_line_and_column()
    {
        var test = Verify.Create("class C { }");
        test.TestState.AdditionalFiles.Add(("/app/appsettings.json", "{\n  \"Shopify\": {\n    \"AdminToken\": \"" + Token + "\"\n  }\n}\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("HD1002", DiagnosticSeverity.Error).WithSpan("/app/appsettings.json", 3, 20, 3, 58)
            .WithArguments("Shopify access token or shared secret", "shpat_0123…", "shopify-token", "keep it in a secret store and read it per request; rotate this one, it is in source control"));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Custom_patterns_come_from_the_rules_file() =>
        Verify.VerifyAsync(
            """class C { string K = "{|HD1002:sk-proj-abcdefghijklmnopqrst|}"; string S = "shpat_0123456789abcdef0123456789abcdef"; }""",
            """
            {
              "version": 1,
              "configuration": {
                "secretPatterns": [ { "id": "openai-key", "description": "OpenAI API key", "pattern": "sk-proj-[A-Za-z0-9]{20}" } ]
              }
            }
            """);

    [Fact]
    public void Masking_keeps_only_a_recognisable_prefix()
    {
        HotDash.Compliance.Secrets.SecretMask.Mask(Token).Should().Be("shpat_0123…");
        HotDash.Compliance.Secrets.SecretMask.Mask("abcdefghijklmnop").Should().Be("abcd…");
        HotDash.Compliance.Secrets.SecretMask.Mask("short").Should().Be("s…");
    }

    private static string Program(string expression) => $$"""
        using System;
        static class Parts
        {
            public const string A = "shpat_0123456789abcdef";
            public const string B = "0123456789abcdef";
        }

        class Probe
        {
            object M(string token) => {{expression}};
        }
        """;
}
