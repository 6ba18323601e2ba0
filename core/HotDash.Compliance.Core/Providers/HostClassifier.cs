using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

// This file is compiled into both the analyzers (HD3001, netstandard2.0) and the audit engine
// (HD6001), so that build time and test time classify a database host the same way.
namespace HotDash.Compliance.Providers;

/// <summary>A provider's host patterns, from the rules file (e.g. supabase: db.*.supabase.co).</summary>
internal sealed class ProviderHosts
{
    public ProviderHosts(string name, IReadOnlyList<string> patterns, IReadOnlyList<string>? exclusions = null)
    {
        Name = name;
        Patterns = patterns;
        Exclusions = exclusions ?? [];
    }

    public string Name { get; }

    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Hosts a pattern matches that are not the provider's (Docker's host.docker.internal under "*.internal").</summary>
    public IReadOnlyList<string> Exclusions { get; }
}

/// <summary>What a host says about its provider: the provider and the pattern that matched.</summary>
internal sealed class HostClassification
{
    public HostClassification(string host, string? provider, string? pattern, string? excludedFrom = null, string? exclusion = null)
    {
        Host = host;
        Provider = provider;
        Pattern = pattern;
        ExcludedFrom = excludedFrom;
        Exclusion = exclusion;
    }

    /// <summary>A provider whose host pattern matched but whose exclusion took the host out again (for evidence).</summary>
    public string? ExcludedFrom { get; }

    public string? Exclusion { get; }

    public string Host { get; }

    /// <summary>Null when no provider's pattern matches (localhost, an IP address, a self-hosted name).</summary>
    public string? Provider { get; }

    public string? Pattern { get; }
}

/// <summary>Classifies database hosts by the rules' host patterns, and finds hosts in connection strings.</summary>
internal static class HostClassifier
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly Regex UriHost = new(
        @"\b(?:postgres|postgresql)://(?:[^@/\s""']*@)?(?<hosts>[^/?\s""']+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex KeywordHost = new(
        @"(?:^|;)\s*(?:host|server|data source)\s*=\s*(?<hosts>[^;""']+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>The first provider whose pattern matches the host and whose exclusions do not, in rules order.</summary>
    public static HostClassification Classify(string host, IEnumerable<ProviderHosts> providers)
    {
        HostClassification? excluded = null;
        foreach (var provider in providers)
        {
            foreach (var pattern in provider.Patterns)
            {
                if (!Matches(host, pattern))
                {
                    continue;
                }

                var exclusion = FirstMatch(host, provider.Exclusions);
                if (exclusion is null)
                {
                    return new HostClassification(host, provider.Name, pattern);
                }

                excluded ??= new HostClassification(host, null, null, provider.Name, exclusion);
            }
        }

        return excluded ?? new HostClassification(host, null, null);
    }

    private static string? FirstMatch(string host, IReadOnlyList<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            if (Matches(host, pattern))
            {
                return pattern;
            }
        }

        return null;
    }

    /// <summary>
    /// Glob match, case-insensitive, ignoring a trailing dot: '*' stands for one or more characters,
    /// so "*.flycast" matches "my-db.flycast" but not "flycast".
    /// </summary>
    public static bool Matches(string host, string pattern)
    {
        host = host.Trim().TrimEnd('.');
        var regex = "^" + Regex.Escape(pattern.Trim().TrimEnd('.')).Replace("\\*", ".+") + "$";
        try
        {
            return Regex.IsMatch(host, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// The host names in a PostgreSQL connection string: a postgres:// URI or keyword form
    /// (Host=, Server=), with several comma-separated hosts and ports removed.
    /// </summary>
    public static IReadOnlyList<HostOccurrence> FindHosts(string text)
    {
        var found = new List<HostOccurrence>();
        try
        {
            foreach (Match match in UriHost.Matches(text))
            {
                AddHosts(found, match.Groups["hosts"], isUri: true);
            }

            if (found.Count == 0)
            {
                foreach (Match match in KeywordHost.Matches(text))
                {
                    AddHosts(found, match.Groups["hosts"], isUri: false);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological string is not a connection string worth classifying.
        }

        return found;
    }

    private static void AddHosts(List<HostOccurrence> found, Group hosts, bool isUri)
    {
        var offset = hosts.Index;
        foreach (var part in hosts.Value.Split(','))
        {
            var host = part.Trim();
            var start = offset + part.IndexOf(host, StringComparison.Ordinal);
            offset += part.Length + 1;
            if (host.StartsWith("[", StringComparison.Ordinal))
            {
                // An IPv6 literal: [::1]:5432
                var close = host.IndexOf(']');
                host = close > 0 ? host.Substring(1, close - 1) : host;
                start++;
            }
            else if ((isUri || host.IndexOf(':') == host.LastIndexOf(':')) && host.IndexOf(':') is var colon and > 0)
            {
                host = host.Substring(0, colon);
            }

            if (host.Length > 0)
            {
                found.Add(new HostOccurrence(host, start));
            }
        }
    }
}

/// <summary>A host name found in a string, and its offset there.</summary>
internal sealed class HostOccurrence
{
    public HostOccurrence(string host, int offset)
    {
        Host = host;
        Offset = offset;
    }

    public string Host { get; }

    public int Offset { get; }
}
