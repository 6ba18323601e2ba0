using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.BannedApis.BannedApiAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.BannedApis;

public class HD1003BannedApiTests
{
    private const string Rules = """
        {
          "version": 1,
          "bannedApis": [
            { "symbol": "M:System.Environment.GetEnvironmentVariables", "message": "it dumps every secret" },
            { "symbol": "T:System.Net.WebClient", "message": "use IHttpClientFactory" },
            { "symbol": "P:System.DateTime.Now", "message": "use TimeProvider" },
            { "symbol": "M:System.Linq.Enumerable.ToList``1(System.Collections.Generic.IEnumerable{``0})", "message": "materialize explicitly" },
            { "symbol": "N:System.Data.SqlClient", "message": "use Npgsql" },
            { "symbol": "F:System.String.Empty", "message": "write \"\"" }
          ]
        }
        """;

    [Theory]
    [InlineData("{|HD1003:Environment.GetEnvironmentVariables()|}")]
    [InlineData("{|HD1003:new System.Net.WebClient()|}")]
    [InlineData("{|HD1003:{|HD1003:new System.Net.WebClient()|}.DownloadString(\"http://x\")|}")]
    [InlineData("{|HD1003:DateTime.Now|}")]
    [InlineData("{|HD1003:new[] { 1 }.ToList()|}")]
    [InlineData("{|HD1003:System.Linq.Enumerable.ToList(new[] { \"a\" })|}")]
    [InlineData("{|HD1003:string.Empty|}")]
    [InlineData("{|HD1003:typeof(System.Net.WebClient)|}")]
    [InlineData("(Func<System.Collections.IDictionary>){|HD1003:Environment.GetEnvironmentVariables|}")]
    public Task Banned_apis_are_reported(string expression) =>
        Verify.VerifyAsync(Program(expression), Rules);

    [Theory]
    [InlineData("Environment.GetEnvironmentVariable(\"PATH\")")]
    [InlineData("DateTime.UtcNow")]
    [InlineData("new[] { 1 }.ToArray()")]
    [InlineData("new System.Net.Http.HttpClient()")]
    public Task Other_apis_are_not_reported(string expression) =>
        Verify.VerifyAsync(Program(expression), Rules);

    [Fact]
    public Task The_built_in_defaults_ban_dumping_the_environment() =>
        Verify.VerifyAsync(
            Program("Environment.GetEnvironmentVariables()"),
            null,
            new DiagnosticResult(Descriptors.BannedApi)
                .WithSpan(6, 19, 6, 56)
                .WithArguments("Environment.GetEnvironmentVariables()", "M:System.Environment.GetEnvironmentVariables",
                    "it returns every environment variable, secrets included; read the named settings you need through IConfiguration"));

    [Fact]
    public Task Unknown_symbols_in_the_rules_are_ignored() =>
        Verify.VerifyAsync(
            Program("Environment.GetEnvironmentVariables()"),
            """{ "version": 1, "bannedApis": [ { "symbol": "T:Does.Not.Exist", "message": "x" } ] }""");

    private static string Program(string expression) => $$"""
        using System;
        using System.Linq;

        class Probe
        {
            object M() => {{expression}};
            object N() => {{expression}};
        }
        """.Replace("object N() => " + expression + ";", "object N() => 0;");
}
