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
public sealed record LatencySample(int Index, double Milliseconds, int? Status, string? Failure)
{
    /// <summary>No answer within the timeout: the time says something (at least this slow), unlike a refused connection.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Refused, unresolvable, reset: the request never reached a service, so its time is no latency.</summary>
    public bool Unanswered => Status is null && !TimedOut;
}

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
            var subject = Subject.Endpoint(endpoint.Name);
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
                findings.Add(new Finding(RuleIds.LatencyBudget, Severity.Error, Concern, subject, Mask(url),
                    $"The URL of endpoint '{endpoint.Name}' is not an absolute http(s) URL{(endpoint.UrlFromEnv is null ? " (latency.endpoints[].url)" : $" ({endpoint.UrlFromEnv})")}.", []));
                continue;
            }

            var measured = await MeasureAsync(client, endpoint, uri, environment, cancellationToken).ConfigureAwait(false);
            samples[endpoint.Name] = measured;
            string? chart = null;
            if (chartDirectory is not null && !measured.All(m => m.Unanswered))
            {
                // A chart of answers: an endpoint that never answered has no latency to draw.
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
            return new LatencySample(index, clock.Elapsed.TotalMilliseconds, null, $"no answer within {endpoint.TimeoutMs} ms") { TimedOut = true };
        }
        catch (HttpRequestException e)
        {
            return new LatencySample(index, clock.Elapsed.TotalMilliseconds, null, e.HttpRequestError.ToString());
        }
    }

    /// <summary>The verdict on the samples: every status as expected, and p50, p95, max within their budgets.</summary>
    public static Finding Judge(LatencyEndpoint endpoint, string location, IReadOnlyList<LatencySample> samples, string? chart)
    {
        if (samples.All(s => s.Unanswered))
        {
            // Refused, unresolvable, reset: how long the failures took is no latency, and cold starts are no cause.
            var failures = samples.GroupBy(s => s.Failure ?? "no answer").Select(g => $"{g.Key} ({g.Count()}x)");
            return new Finding(RuleIds.LatencyBudget, Severity.Error, Concern, Subject.Endpoint(endpoint.Name), location,
                $"Endpoint '{endpoint.Name}' gave no answer to any of its {samples.Count} requests ({samples[0].Failure ?? "no answer"}), so its latency was not measured. Fix: check the URL and that the service is up and reachable from where the audit runs.",
                [$"{samples.Count} sequential {endpoint.Method} requests after {endpoint.Warmup} warm-up, timeout {endpoint.TimeoutMs} ms each", $"no answer: {string.Join(", ", failures)}", $"budget: {Budget(endpoint.Budgets)}; expected status {endpoint.ExpectedStatus}"]);
        }

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
        var chartName = chart is null ? null : Path.GetFileName(chart);
        if (chartName is not null)
        {
            evidence.Add($"chart: {chartName} (beside the report)");
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
        return (problems.Count == 0
            ? new Finding(RuleIds.LatencyBudget, Severity.Pass, Concern, Subject.Endpoint(endpoint.Name), location,
                string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint.Name}' answered {endpoint.ExpectedStatus} every time, within its budget (p50 {p50:0} ms, p95 {p95:0} ms, max {max:0} ms)."), evidence)
            : new Finding(RuleIds.LatencyBudget, Severity.Error, Concern, Subject.Endpoint(endpoint.Name), location,
                $"Endpoint '{endpoint.Name}': {string.Join("; ", problems)}. " +
                "If it is slow after idle periods, its machines probably start cold: keep them warm (HD7005, min_machines_running, auto_stop_machines = \"off\" or \"suspend\"); otherwise profile the slowest requests.",
                evidence)) with
            {
                Chart = chartName,
                Metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["p50"] = p50, ["p95"] = p95, ["max"] = max, ["avg"] = ms.Average() },
            };
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

/// <summary>
/// An SVG chart of an endpoint's samples in order: a y axis in ms with ticks, an x axis by sample number, the budget
/// lines labelled inside the plot, and failed samples in red. Sized so that every label fits.
/// </summary>
public static class LatencyChart
{
    private const int Width = 600, Height = 260, Left = 56, Right = 16, Top = 28, Bottom = 40;

    public static string Svg(LatencyEndpoint endpoint, IReadOnlyList<LatencySample> samples)
    {
        var budgets = new[] { ("p50", endpoint.Budgets.P50), ("p95", endpoint.Budgets.P95), ("max", endpoint.Budgets.Max) }
            .Where(b => b.Item2 is not null).Select(b => (Name: b.Item1, Ms: (double)b.Item2!.Value)).ToList();
        var top = NiceCeiling(Math.Max(samples.Max(s => s.Milliseconds), budgets.Count == 0 ? 0 : budgets.Max(b => b.Ms)) * 1.05);
        const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
        double X(int i) => Left + (samples.Count == 1 ? PlotWidth / 2 : PlotWidth * i / (samples.Count - 1));
        double Y(double ms) => Top + PlotHeight * (1 - ms / top);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        var title = $"{endpoint.Name}: {samples.Count} sequential requests";
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title><rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");

        // Y axis: six round ticks from 0 to the top (a 1-2-2.5-5 ceiling divides by five), grid lines, and its unit.
        for (var t = 0; t <= 5; t++)
        {
            var ms = top * t / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(ms))}\" x2=\"{Width - Right}\" y2=\"{F(Y(ms))}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(ms) + 4)}\" text-anchor=\"end\">{ms:0}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{F(Top + PlotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {F(Top + PlotHeight / 2)})\">response time (ms)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");

        // X axis: sample numbers, at most about ten labels.
        var step = Math.Max(1, (int)Math.Ceiling(samples.Count / 10.0));
        for (var i = 0; i < samples.Count; i += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(i))}\" y1=\"{Height - Bottom}\" x2=\"{F(X(i))}\" y2=\"{Height - Bottom + 4}\" stroke=\"#444\"/><text x=\"{F(X(i))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{samples[i].Index}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + PlotWidth / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">sample</text>");

        foreach (var (name, ms) in budgets)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Y(ms))}\" x2=\"{Width - Right}\" y2=\"{F(Y(ms))}\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 4}\" y=\"{F(Y(ms) - 4)}\" text-anchor=\"end\" fill=\"#c33\">{name} budget {ms:0} ms</text>");
        }

        svg.Append("<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\" points=\"");
        svg.AppendJoin(' ', samples.Select((s, i) => $"{F(X(i))},{F(Y(s.Milliseconds))}"));
        svg.Append("\"/>");
        foreach (var (s, i) in samples.Select((s, i) => (s, i)))
        {
            var failed = s.Status != endpoint.ExpectedStatus;
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(s.Milliseconds))}\" r=\"{(failed ? 3.5 : 2)}\" fill=\"{(failed ? "#c33" : "#36c")}\"><title>#{s.Index}: {s.Milliseconds:0} ms, {Escape(s.Status is { } status ? $"status {status}" : s.Failure ?? "no answer")}</title></circle>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above the value: round tick labels.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? string.Empty;
}
