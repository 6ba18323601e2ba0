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

    /// <summary>
    /// Fly's private names in their real shapes (fly.io/docs/networking/private-networking: app, region, nearest,
    /// machine and process-group names under .internal; Flycast; Managed Postgres's pooled and direct hosts).
    /// </summary>
    [Theory]
    [InlineData("hotdash-db.internal")]
    [InlineData("iad.hotdash-db.internal")]
    [InlineData("global.hotdash-db.internal")]
    [InlineData("top2.nearest.of.hotdash-db.internal")]
    [InlineData("3d8d9e11b64e98.vm.hotdash-db.internal")]
    [InlineData("worker.process.hotdash-db.internal")]
    [InlineData("hotdash-db.flycast")]
    [InlineData("pgbouncer.9g6y30wzpq5r0dke.flympg.net")]
    [InlineData("direct.9g6y30wzpq5r0dke.flympg.net")]
    [InlineData("hotdash-db.fly.dev")]
    public Task Flys_private_and_managed_host_shapes_are_reported(string host) =>
        Verify.VerifyAsync($$"""class C { string S = "Host={|HD3001:{{host}}|};Port=5432;Database=hotdash"; }""");

    /// <summary>
    /// Other platforms' names under .internal are not Fly's: Docker Desktop's host and gateway names, AWS EC2
    /// private DNS (us-east-1 and other regions) and Compute Engine's zonal and global internal DNS. The built-in
    /// rules exclude them (fly-postgres's excludeHostPatterns).
    /// </summary>
    [Theory]
    [InlineData("host.docker.internal")]
    [InlineData("gateway.docker.internal")]
    [InlineData("ip-10-0-1-23.ec2.internal")]
    [InlineData("ip-172-31-5-9.eu-west-1.compute.internal")]
    [InlineData("pg-1.us-central1-a.c.my-project.internal")]
    [InlineData("pg-1.c.my-project.internal")]
    [InlineData("metadata.google.internal")]
    public Task Docker_aws_and_gce_private_names_are_not_reported(string host) =>
        Verify.VerifyAsync($$"""class C { string S = "Host={{host}};Port=5432;Database=hotdash"; }""");

    [Fact]
    public Task Exclusions_are_rules_data() =>
        Verify.VerifyAsync(
            """class C { string A = "Host=db.corp.internal"; string B = "Host={|HD3001:host.docker.internal|}"; }""",
            """
            { "version": 1, "database": { "provider": "supabase", "forbiddenProviders": ["fly-postgres"],
              "providers": [ { "name": "fly-postgres", "hostPatterns": ["*.internal"], "excludeHostPatterns": ["*.corp.internal"] } ] } }
            """);

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
        new("fly-postgres", ["*.flycast", "*.internal"], ["host.docker.internal", "*.ec2.internal"]),
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
    [InlineData("host.docker.internal", null)]
    [InlineData("ip-10-0-1-23.ec2.internal", null)]
    public void Hosts_are_classified_by_pattern(string host, string? provider) =>
        HostClassifier.Classify(host, Providers).Provider.Should().Be(provider);

    [Fact]
    public void An_excluded_host_says_which_exclusion_took_it_out()
    {
        var classification = HostClassifier.Classify("host.docker.internal", Providers);
        classification.Provider.Should().BeNull();
        (classification.ExcludedFrom, classification.Exclusion).Should().Be(("fly-postgres", "host.docker.internal"));
    }

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
