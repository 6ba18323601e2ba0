using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Findings;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Latency;

/// <summary>One measured request: how long it took, and its status (null when it failed or timed out).</summary>
public sealed record LatencySample(int Index, double Milliseconds, int? Status, string? Failure);

/// <summary>The latency audit: one finding per endpoint, the samples behind it, and the endpoints that could not be measured.</summary>
public sealed record LatencyAuditResult(IReadOnlyList<Finding> Findings, IReadOnlyDictionary<string, IReadOnlyList<LatencySample>> Samples, IReadOnlyDictionary<string, string> NotConfigured);

/// <summary>
/// HD8001: each declared HTTP endpoint answers within its budget, measured as the reliability team did by hand:
/// warm-up requests first (not counted), then N sequential requests, each bounded by its timeout, and p50, p95,
/// max and average against the budgets, with the slowest sample and a chart (SVG) as evidence. The fifth incident:
/// tiles answered in 409–617 ms against a 300 ms budget. Secrets never appear: URLs are shown with their password
/// and secret-looking query values masked, and header values are never shown.
/// </summary>
public static partial class LatencyAudit
{
    public const string Concern = "latency";

    public static async Task<LatencyAuditResult> RunAsync(
        RulesDocument rules, Func<string, string?> environment, string? chartDirectory, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        var findings = new List<Finding>();
        var samples = new Dictionary<string, IReadOnlyList<LatencySample>>(StringComparer.Ordinal);
        var notConfigured = new Dictionary<string, string>(StringComparer.Ordinal);
        using var client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }, disposeHandler: handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        foreach (var endpoint in rules.Latency.Endpoints)
        {
            var subject = $"endpoint {endpoint.Name}";
            var url = endpoint.Url ?? (endpoint.UrlFromEnv is { } variable ? environment(variable) : null);
            if (string.IsNullOrWhiteSpace(url))
            {
                notConfigured[endpoint.Name] = endpoint.UrlFromEnv is null
                    ? $"endpoint '{endpoint.Name}' has neither url nor urlFromEnv in the rules"
                    : $"{endpoint.UrlFromEnv} is not set: endpoint '{endpoint.Name}' was not measured";
                continue;
            }

            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                findings.Add(new Finding(AuditRules.LatencyBudget, Severity.Error, Concern, subject, Mask(url),
                    $"The URL of endpoint '{endpoint.Name}' is not an absolute http(s) URL{(endpoint.UrlFromEnv is null ? " (latency.endpoints[].url)" : $" ({endpoint.UrlFromEnv})")}.", []));
                continue;
            }

            var measured = await MeasureAsync(client, endpoint, uri, environment, cancellationToken).ConfigureAwait(false);
            samples[endpoint.Name] = measured;
            string? chart = null;
            if (chartDirectory is not null)
            {
                Directory.CreateDirectory(chartDirectory);
                chart = Path.Combine(chartDirectory, $"latency-{Slug(endpoint.Name)}.svg");
                await File.WriteAllTextAsync(chart, LatencyChart.Svg(endpoint, measured), cancellationToken).ConfigureAwait(false);
            }

            findings.Add(Judge(endpoint, Mask(uri.ToString()), measured, chart));
        }

        return new LatencyAuditResult(findings, samples, notConfigured);
    }

    private static async Task<List<LatencySample>> MeasureAsync(HttpClient client, LatencyEndpoint endpoint, Uri uri, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        for (var i = 0; i < endpoint.Warmup; i++)
        {
            await SendAsync(client, endpoint, uri, environment, -1, cancellationToken).ConfigureAwait(false);
        }

        var samples = new List<LatencySample>(endpoint.Samples);
        for (var i = 0; i < endpoint.Samples; i++)
        {
            samples.Add(await SendAsync(client, endpoint, uri, environment, i + 1, cancellationToken).ConfigureAwait(false));
        }

        return samples;
    }

    private static async Task<LatencySample> SendAsync(HttpClient client, LatencyEndpoint endpoint, Uri uri, Func<string, string?> environment, int index, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(endpoint.Method == "HEAD" ? HttpMethod.Head : HttpMethod.Get, uri);
        foreach (var header in endpoint.Headers)
        {
            var value = header.Value ?? (header.ValueFromEnv is { } variable ? environment(variable) : null);
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(header.Name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.TimeoutMs);
        var clock = Stopwatch.StartNew();
        try
        {
            // The time to the whole response, body included: what a tile waits for.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return new LatencySample(index, clock.Elapsed.TotalMilliseconds, (int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new LatencySample(index, clock.Elapsed.TotalMilliseconds, null, $"no answer within {endpoint.TimeoutMs} ms");
        }
        catch (HttpRequestException e)
        {
            return new LatencySample(index, clock.Elapsed.TotalMilliseconds, null, e.HttpRequestError.ToString());
        }
    }

    /// <summary>The verdict on the samples: every status as expected, and p50, p95, max within their budgets.</summary>
    public static Finding Judge(LatencyEndpoint endpoint, string location, IReadOnlyList<LatencySample> samples, string? chart)
    {
        var ms = samples.Select(s => s.Milliseconds).Order().ToList();
        var p50 = Percentile(ms, 50);
        var p95 = Percentile(ms, 95);
        var max = ms[^1];
        var slowest = samples.MaxBy(s => s.Milliseconds)!;
        var wrong = samples.Where(s => s.Status != endpoint.ExpectedStatus).ToList();
        var evidence = new List<string>
        {
            $"{samples.Count} sequential {endpoint.Method} requests after {endpoint.Warmup} warm-up, timeout {endpoint.TimeoutMs} ms each",
            string.Create(CultureInfo.InvariantCulture, $"p50 {p50:0} ms, p95 {p95:0} ms, max {max:0} ms, avg {ms.Average():0} ms"),
            string.Create(CultureInfo.InvariantCulture, $"slowest: sample #{slowest.Index}, {slowest.Milliseconds:0} ms, {(slowest.Status is { } status ? $"status {status}" : slowest.Failure)}"),
            $"budget: {Budget(endpoint.Budgets)}; expected status {endpoint.ExpectedStatus}",
        };
        if (chart is not null)
        {
            evidence.Add($"chart: {chart}");
        }

        var problems = new List<string>();
        if (wrong.Count > 0)
        {
            var first = wrong[0];
            problems.Add($"{wrong.Count}/{samples.Count} requests did not answer {endpoint.ExpectedStatus} (sample #{first.Index}: {(first.Status is { } code ? $"status {code}" : first.Failure)})");
        }

        void Over(string name, double value, int? budget)
        {
            if (budget is { } limit && value > limit)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0} ms is over its budget of {limit} ms"));
            }
        }

        Over("p50", p50, endpoint.Budgets.P50);
        Over("p95", p95, endpoint.Budgets.P95);
        Over("max", max, endpoint.Budgets.Max);
        return problems.Count == 0
            ? new Finding(AuditRules.LatencyBudget, Severity.Pass, Concern, $"endpoint {endpoint.Name}", location,
                string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint.Name}' answered {endpoint.ExpectedStatus} every time, within its budget (p50 {p50:0} ms, p95 {p95:0} ms, max {max:0} ms)."), evidence)
            : new Finding(AuditRules.LatencyBudget, Severity.Error, Concern, $"endpoint {endpoint.Name}", location,
                $"Endpoint '{endpoint.Name}': {string.Join("; ", problems)}. " +
                "If it is slow after idle periods, its machines probably start cold: keep them warm (HD7005, min_machines_running, auto_stop_machines = \"off\" or \"suspend\"); otherwise profile the slowest requests.",
                evidence);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, int percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The URL without its password and with secret-looking query values replaced by ***.</summary>
    public static string Mask(string url)
    {
        var masked = UserInfoPassword().Replace(url, "$1:***@");
        return SecretQuery().Replace(masked, m => m.Groups["key"].Value + "=***");
    }

    private static string Budget(LatencyBudgets budgets)
    {
        var parts = new List<string>();
        if (budgets.P50 is { } p50)
        {
            parts.Add($"p50 <= {p50} ms");
        }

        if (budgets.P95 is { } p95)
        {
            parts.Add($"p95 <= {p95} ms");
        }

        if (budgets.Max is { } max)
        {
            parts.Add($"max <= {max} ms");
        }

        return parts.Count == 0 ? "none declared (status only)" : string.Join(", ", parts);
    }

    private static string Slug(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    [GeneratedRegex(@"(//[^/:@\s]+):[^/@\s]*@")]
    private static partial Regex UserInfoPassword();

    [GeneratedRegex(@"(?<key>(?:[?&])[^=&#]*(?:token|key|secret|password|passwd|sig|signature|auth|code)[^=&#]*)=[^&#]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();
}

/// <summary>A small SVG chart of an endpoint's samples in order, with its budget lines.</summary>
public static class LatencyChart
{
    public static string Svg(LatencyEndpoint endpoint, IReadOnlyList<LatencySample> samples)
    {
        const int Width = 480, Height = 160, Left = 40, Bottom = 20, Top = 10;
        var budgets = new[] { ("p50", endpoint.Budgets.P50), ("p95", endpoint.Budgets.P95), ("max", endpoint.Budgets.Max) }
            .Where(b => b.Item2 is not null).Select(b => (b.Item1, (double)b.Item2!.Value)).ToList();
        var top = Math.Max(samples.Max(s => s.Milliseconds), budgets.Count == 0 ? 0 : budgets.Max(b => b.Item2)) * 1.1;
        double X(int i) => Left + (samples.Count == 1 ? 0 : (Width - Left - 10) * (double)i / (samples.Count - 1));
        double Y(double ms) => Top + (Height - Top - Bottom) * (1 - ms / top);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"10\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{System.Security.SecurityElement.Escape(endpoint.Name)}: {samples.Count} samples (ms)</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - 10}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"{Top + 8}\">{top:0} ms</text><text x=\"2\" y=\"{Height - Bottom}\">0</text>");
        foreach (var (name, ms) in budgets)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(ms):0.#}\" x2=\"{Width - 10}\" y2=\"{Y(ms):0.#}\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/><text x=\"{Width - 60}\" y=\"{Y(ms) - 2:0.#}\" fill=\"#c33\">{name} {ms:0} ms</text>");
        }

        svg.Append("<polyline fill=\"none\" stroke=\"#36c\" points=\"");
        svg.AppendJoin(' ', samples.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.#},{Y(s.Milliseconds):0.#}")));
        svg.Append("\"/>");
        foreach (var (s, i) in samples.Select((s, i) => (s, i)).Where(p => p.s.Status != endpoint.ExpectedStatus))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(s.Milliseconds):0.#}\" r=\"3\" fill=\"#c33\"/>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
