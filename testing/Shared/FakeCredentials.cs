using System;
using System.Security.Cryptography;
using System.Text;

namespace HotDash.Compliance.Testing;

/// <summary>Credentials of the real shapes, made up in the test: none opens anything.</summary>
public static class FakeCredentials
{
    /// <summary>A JWT as Supabase issues its legacy API keys: HS256, the issuer, the project ref, the role, signed with a made-up secret.</summary>
    public static string SupabaseKey(string role, string issuer = "supabase")
    {
        static string Segment(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Segment(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Segment(Encoding.UTF8.GetBytes($$"""{"iss":"{{issuer}}","ref":"abcdefghijklmnopqrst","role":"{{role}}","iat":1700000000,"exp":2015576000}"""));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("not-a-real-jwt-secret-for-tests-only"));
        return $"{header}.{payload}.{Segment(hmac.ComputeHash(Encoding.ASCII.GetBytes(header + "." + payload)))}";
    }
}
