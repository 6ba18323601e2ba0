using System.Linq;
using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Providers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Providers.ForbiddenDatabaseProviderAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.Providers;

public class HD3001ForbiddenDatabaseProviderTests
{
    [Theory]
    [InlineData("\"Host={|HD3001:hotdash-staging-db.flycast|};Port=5432;Database=hotdash;Username=hotdash\"")]
    [InlineData("\"postgres://hotdash@{|HD3001:hotdash-db.internal|}:5432/hotdash\"")]
    [InlineData("\"postgresql://u@{|HD3001:top2.nearest.of.hotdash-db.internal|}/db?sslmode=disable\"")]
    [InlineData("\"Server={|HD3001:db.flympg.net|};Database=x\"")]
    [InlineData("@\"Host={|HD3001:HOTDASH.FLYCAST|}\"")]
    [InlineData("\"\"\"\n    Host={|HD3001:a.flycast|};Database=x\n    \"\"\"")]
    [InlineData("\"Host=db.abc.supabase.co,{|HD3001:fallback.flycast|};Database=x\"")]
    public Task Connection_strings_to_forbidden_hosts_are_reported_at_the_host(string literal) =>
        Verify.VerifyAsync($$"""class C { string S = {{literal}}; }""");

    [Theory]
    [InlineData("\"Host=db.abcdefghijklmnop.supabase.co;Database=postgres\"")]
    [InlineData("\"postgres://postgres.ref@aws-0-eu-central-1.pooler.supabase.com:6543/postgres\"")]
    [InlineData("\"Host=localhost;Database=hotdash\"")]
    [InlineData("\"https://hotdash.fly.dev/health\"")]
    [InlineData("\"the flycast network\"")]
    [InlineData("\"Host=flycast;Database=x\"")]
    public Task Other_strings_are_not_reported(string literal) =>
        Verify.VerifyAsync($$"""class C { string S = {{literal}}; }""");

    [Fact]
    public async Task Appsettings_values_are_reported_at_the_host_with_its_line_and_column()
    {
        var test = Verify.Create("class C { }");
        test.TestState.AdditionalFiles.Add(("/app/appsettings.Staging.json", """
            {
              "ConnectionStrings": {
                "Supabase": "Host=hotdash-staging-db.flycast;Port=5432;Database=hotdash;Username=hotdash"
              }
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.ForbiddenDatabaseProvider)
            .WithSpan("/app/appsettings.Staging.json", 3, 23, 3, 49)
            .WithArguments("hotdash-staging-db.flycast", "fly-postgres", "*.flycast", "supabase"));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Only_providers_the_rules_forbid_are_reported() =>
        Verify.VerifyAsync(
            """class C { string A = "Host=x.flycast"; string B = "Host={|HD3001:db.legacy.example.com|}"; }""",
            """
            { "version": 1, "database": { "provider": "supabase", "forbiddenProviders": ["legacy"],
              "providers": [ { "name": "legacy", "hostPatterns": ["*.legacy.example.com"] }, { "name": "fly-postgres", "hostPatterns": ["*.flycast"] } ] } }
            """);
}

public class HostClassifierTests
{
    private static readonly ProviderHosts[] Providers =
    [
        new("supabase", ["db.*.supabase.co", "*.pooler.supabase.com"]),
        new("fly-postgres", ["*.flycast", "*.internal"]),
    ];

    [Theory]
    [InlineData("db.abcdefghijklmnop.supabase.co", "supabase")]
    [InlineData("aws-1-us-east-1.pooler.supabase.com", "supabase")]
    [InlineData("my-db.flycast", "fly-postgres")]
    [InlineData("My-DB.Flycast.", "fly-postgres")]
    [InlineData("top2.nearest.of.my-db.internal", "fly-postgres")]
    [InlineData("flycast", null)]
    [InlineData("db.supabase.co", null)]
    [InlineData("127.0.0.1", null)]
    public void Hosts_are_classified_by_pattern(string host, string? provider) =>
        HostClassifier.Classify(host, Providers).Provider.Should().Be(provider);

    [Theory]
    [InlineData("postgres://u:p@h1.flycast:5432,h2.internal/db", "h1.flycast,h2.internal")]
    [InlineData("Host=a.flycast:5433, b.internal ;Database=x", "a.flycast,b.internal")]
    [InlineData("server=[::1];database=x", "::1")]
    [InlineData("Data Source=db.internal", "db.internal")]
    [InlineData("no connection string here", "")]
    public void Hosts_are_found_in_connection_strings(string text, string expected)
    {
        var hosts = HostClassifier.FindHosts(text);
        string.Join(",", hosts.Select(h => h.Host)).Should().Be(expected);
        foreach (var host in hosts)
        {
            text.Substring(host.Offset, host.Host.Length).Should().Be(host.Host);
        }
    }
}
