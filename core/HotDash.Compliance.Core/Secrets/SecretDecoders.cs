using System;
using System.Text;
using HotDash.Compliance.Json;

namespace HotDash.Compliance.Secrets;

/// <summary>
/// What a match of a secret pattern really is, for the patterns whose text alone does not say (a rules file's
/// <c>decoder</c>). Both halves use it: the analyzers on literals and additional files, the audit on the repository.
/// </summary>
internal static class SecretDecoders
{
    /// <summary>The decoder that reads a Supabase legacy API key: a JWT whose payload names the Postgres role it runs as.</summary>
    public const string SupabaseJwt = "supabase-jwt";

    /// <summary>
    /// Why the match is a secret (e.g. "role service_role: bypasses every RLS policy"), or null when it is none: a
    /// Supabase <c>anon</c> or <c>authenticated</c> key (meant for browsers), or a token that does not decode (never
    /// guessed at). Without a decoder every match is a secret.
    /// </summary>
    public static string? Verdict(string? decoder, string match)
    {
        if (decoder is null)
        {
            return string.Empty;
        }

        return decoder == SupabaseJwt ? SupabaseKey(match) : null;
    }

    private static string? SupabaseKey(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } header || Decode(parts[1]) is not { } payload)
        {
            return null;
        }

        if (JsonParser.Parse(header).Value?.GetString("alg") is not { Length: > 0 } algorithm || algorithm == "none"
            || JsonParser.Parse(payload).Value is not { Kind: JsonKind.Object } claims
            || claims.GetString("role") is not { } role)
        {
            return null;
        }

        // Supabase signs its project keys with iss "supabase"; "supabase-demo" is the CLI's local stack, whose keys are
        // published in its docs and open no project. Any other issuer is not a Supabase key.
        if (claims.GetString("iss") != "supabase")
        {
            return null;
        }

        // anon and authenticated keys run as roles RLS applies to: they are meant to ship in client code.
        return role switch
        {
            "anon" or "authenticated" => null,
            "service_role" => "role service_role: it bypasses every RLS policy (BYPASSRLS)",
            _ => $"role {role}: not a key meant for clients",
        };
    }

    private static string? Decode(string segment)
    {
        try
        {
            var base64 = segment.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
