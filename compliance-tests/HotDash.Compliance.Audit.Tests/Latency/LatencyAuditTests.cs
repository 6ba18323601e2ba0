using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Latency;
using HotDash.Compliance.Audit.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotDash.Compliance.Audit.Tests.Latency;

/// <summary>A real HTTP server (Kestrel) on 127.0.0.1 with controlled delays and statuses; it counts the requests it gets.</summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private WebApplication? _app;
    private int _requests;

    public string BaseUrl { get; private set; } = string.Empty;

    public int Requests => _requests;

    public string? LastAuthorization { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            LastAuthorization = context.Request.Headers.Authorization.ToString();
            await next(context);
        });
        _app.MapGet("/fast", () => "ok");
        _app.MapGet("/slow", async () =>
        {
            await Task.Delay(250);
            return "ok";
        });
        _app.MapGet("/error", () => Results.StatusCode(500));
        _app.MapGet("/hang", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), aborted);
            return "late";
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public void Reset() => Interlocked.Exchange(ref _requests, 0);
}

/// <summary>HD8001 against a real server on loopback: bounded sequential requests, budgets, statuses, timeouts, masking.</summary>
public sealed class LatencyAuditTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private static RulesDocument Rules(params LatencyEndpoint[] endpoints) => new() { Latency = new LatencyRules { Endpoints = endpoints } };

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public async Task A_fast_endpoint_passes_with_its_figures_and_chart_and_the_requests_are_exactly_warmup_plus_samples()
    {
        server.Reset();
        var charts = Directory.CreateTempSubdirectory("hotdash-latency-").FullName;
        var result = await LatencyAudit.RunAsync(Rules(new LatencyEndpoint { Name = "tiles", Url = server.BaseUrl + "/fast", Samples = 12, Warmup = 3, Budgets = new LatencyBudgets { P95 = 2000 } }), NoEnvironment, charts, cancellationToken: TestContext.Current.CancellationToken);

        var finding = result.Findings.Single();
        finding.Severity.Should().Be(Severity.Pass);
        finding.Subject.Should().Be("endpoint tiles");
        finding.Evidence.Should().Contain("12 sequential GET requests after 3 warm-up, timeout 5000 ms each");
        finding.Evidence.Should().Contain(e => e.StartsWith("p50 ") && e.Contains("p95 ") && e.Contains("max ") && e.Contains("avg "));
        server.Requests.Should().Be(15);
        var svg = File.ReadAllText(Path.Combine(charts, "latency-tiles.svg"));
        svg.Should().StartWith("<svg").And.Contain("p95 budget 2000 ms").And.Contain("<polyline").And.Contain(">sample</text>").And.Contain(">response time (ms)</text>");
        System.Xml.Linq.XDocument.Parse(svg).Root!.Name.LocalName.Should().Be("svg", "the chart is well-formed XML");
        finding.Chart.Should().Be("latency-tiles.svg");
        finding.Evidence.Should().Contain("chart: latency-tiles.svg (beside the report)", "no machine path");

        // The Markdown report, written beside the chart, shows it by a relative link.
        var report = new HotDash.Compliance.Audit.Report.AuditReport(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "rules.json", new string('0', 64), [], [], result.Findings, [], 0);
        HotDash.Compliance.Audit.Report.ReportWriter.ToMarkdown(report).Should().Contain("![endpoint tiles](latency-tiles.svg)");
    }

    [Fact]
    public async Task An_endpoint_that_refuses_every_request_is_no_answer_not_zero_milliseconds_and_no_cold_start()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // Nothing listens there now: every connection is refused.
        var charts = Directory.CreateTempSubdirectory("hotdash-latency-").FullName;
        var result = await LatencyAudit.RunAsync(Rules(new LatencyEndpoint { Name = "tiles", Url = $"http://127.0.0.1:{port}/tiles", Samples = 3, Warmup = 1, Budgets = new LatencyBudgets { P95 = 300 } }), NoEnvironment, charts, cancellationToken: TestContext.Current.CancellationToken);

        var finding = result.Findings.Single();
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().Contain("gave no answer to any of its 3 requests").And.Contain("not measured").And.NotContain("cold").And.NotContain("HD7005");
        finding.Evidence.Should().NotContain(e => e.StartsWith("p50 ", StringComparison.Ordinal)).And.Contain(e => e.StartsWith("no answer: ", StringComparison.Ordinal));
        finding.Chart.Should().BeNull();
        Directory.GetFiles(charts).Should().BeEmpty("there is no latency to draw");
    }

    [Fact]
    public async Task A_slow_endpoint_fails_its_budget_with_the_slowest_sample()
    {
        var result = await LatencyAudit.RunAsync(Rules(new LatencyEndpoint { Name = "slow tiles", Url = server.BaseUrl + "/slow", Samples = 3, Warmup = 0, Budgets = new LatencyBudgets { P50 = 100, P95 = 100 } }), NoEnvironment, null, cancellationToken: TestContext.Current.CancellationToken);

        var finding = result.Findings.Single();
        finding.Severity.Should().Be(Severity.Error);
        finding.Message.Should().MatchRegex(@"p50 \d+ ms is over its budget of 100 ms; p95 \d+ ms is over its budget of 100 ms").And.Contain("HD7005");
        finding.Evidence.Should().Contain(e => e.StartsWith("slowest: sample #") && e.EndsWith("status 200"));
        // The server waits 250 ms; Task.Delay rides the system timer and was seen to end 0.3 ms early, so allow 5 ms.
        result.Samples["slow tiles"].Should().OnlyContain(s => s.Milliseconds >= 245);
    }

    [Fact]
    public async Task A_wrong_status_and_a_timeout_are_failures_and_every_request_is_bounded()
    {
        var result = await LatencyAudit.RunAsync(Rules(
            new LatencyEndpoint { Name = "broken", Url = server.BaseUrl + "/error", Samples = 2, Warmup = 0 },
            new LatencyEndpoint { Name = "hanging", Url = server.BaseUrl + "/hang", Samples = 2, Warmup = 0, TimeoutMs = 100 }), NoEnvironment, null, cancellationToken: TestContext.Current.CancellationToken);

        result.Findings.Single(f => f.Subject == "endpoint broken").Message.Should().Contain("2/2 requests did not answer 200 (sample #1: status 500)");
        var hanging = result.Findings.Single(f => f.Subject == "endpoint hanging");
        hanging.Message.Should().Contain("(sample #1: no answer within 100 ms)");
        result.Samples["hanging"].Should().OnlyContain(s => s.Milliseconds < 2000, "each request gives up at its timeout");
    }

    [Fact]
    public async Task An_endpoint_without_its_url_is_not_measured_and_secrets_never_show()
    {
        var environment = new Dictionary<string, string?>
        {
            ["TILES_URL"] = server.BaseUrl.Replace("http://", "http://probe:s3cret-pw@", StringComparison.Ordinal) + "/fast?access_token=abc123&view=tiles",
            ["TILES_TOKEN"] = "Bearer header-secret-42",
        };
        var result = await LatencyAudit.RunAsync(Rules(
            new LatencyEndpoint { Name = "staging tiles", UrlFromEnv = "TILES_URL", Samples = 1, Warmup = 0, Headers = [new LatencyHeader("Authorization", null, "TILES_TOKEN")] },
            new LatencyEndpoint { Name = "production tiles", UrlFromEnv = "PROD_TILES_URL" }), name => environment.GetValueOrDefault(name), null, cancellationToken: TestContext.Current.CancellationToken);

        result.NotConfigured["production tiles"].Should().Be("PROD_TILES_URL is not set: endpoint 'production tiles' was not measured");
        var finding = result.Findings.Single();
        finding.Location.Should().Contain("probe:***@").And.Contain("access_token=***").And.Contain("view=tiles");
        var text = finding.ToString() + string.Join(" ", finding.Evidence);
        text.Should().NotContain("s3cret-pw").And.NotContain("abc123").And.NotContain("header-secret-42");
        server.LastAuthorization.Should().Be("Bearer header-secret-42", "the header is sent, only never printed");
    }

    [Theory]
    [InlineData(new[] { 10.0 }, 50, 10.0)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, 95, 19.0)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }, 50, 10.0)]
    public void Percentiles_are_nearest_rank(double[] sorted, int percent, double expected) =>
        LatencyAudit.Percentile(sorted, percent).Should().Be(expected);
}
