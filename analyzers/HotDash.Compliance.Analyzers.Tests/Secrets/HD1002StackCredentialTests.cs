using HotDash.Compliance.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Secrets.HardcodedSecretAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.Secrets;

/// <summary>
/// HD1002 on the stack's other credentials, with the built-in rules: Supabase keys told apart by what they can do (a
/// legacy key's JWT decoded: service_role is a secret, anon is meant for browsers), sb_secret_ and sbp_ keys, OpenAI
/// and Fly.io tokens. Every key here is generated in the test with the real shape (prefixes, lengths, a JWT signed
/// with HS256 over the claims Supabase issues); none is real.
/// </summary>
public class HD1002StackCredentialTests
{
    private static string SupabaseKey(string role, string issuer = "supabase") => FakeCredentials.SupabaseKey(role, issuer);

    private static string Program(string literal) => $$"""class C { string K = "{{literal}}"; }""";

    [Fact]
    public Task A_supabase_service_role_key_is_reported_and_says_it_bypasses_rls()
    {
        var key = SupabaseKey("service_role");
        return Verify.VerifyAsync(Program(key), null,
            new DiagnosticResult(Descriptors.HardcodedSecret).WithSpan(1, 23, 1, 23 + key.Length)
                .WithArguments("Supabase legacy API key that bypasses RLS (a JWT whose role is service_role)", "eyJh…", "supabase-service-key",
                    "keep it on the server only (a secret store, never a NEXT_PUBLIC_/VITE_ variable); rotate the JWT secret in the project's API settings, or move to the new sb_secret_ keys and revoke the legacy ones"));
    }

    [Theory]
    [InlineData("anon", "supabase")]
    [InlineData("authenticated", "supabase")]
    [InlineData("service_role", "supabase-demo")]
    public Task Keys_meant_for_clients_and_the_local_demo_keys_are_not_reported(string role, string issuer) =>
        Verify.VerifyAsync(Program(SupabaseKey(role, issuer)));

    [Theory]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    [InlineData("eyJnot-base64-at-all.eyJalso!!not.abcdefghijklmnopqrstuvwxyz")]
    public Task A_token_that_is_no_supabase_key_is_not_guessed_at(string token) =>
        Verify.VerifyAsync(Program(token));

    [Theory]
    [InlineData("sb_secret_AbCdEfGhIjKlMnOpQrStUvWxYz0123", "supabase-secret-key", "sb_secret_AbCd…")]
    [InlineData("sbp_0123456789abcdef0123456789abcdef01234567", "supabase-access-token", "sbp_0123…")]
    [InlineData("sk-proj-AbCdEfGhIjKlMnOpQrSt-uvwxyzT3BlbkFJAbCdEfGhIjKlMnOpQrSt_uvwx", "openai-api-key", "sk-proj-AbCd…")]
    [InlineData("sk-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrSt", "openai-api-key", "sk-AbCd…")]
    [InlineData("fo1_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg", "fly-token", "fo1_AbCd…")]
    public Task The_stacks_secret_keys_are_reported_masked(string key, string id, string masked)
    {
        var diagnostic = new DiagnosticResult(Descriptors.HardcodedSecret).WithSpan(1, 23, 1, 23 + key.Length);
        return Verify.VerifyAsync(Program(key), null, diagnostic.WithArguments(Description(id), masked, id, Hint(id)));
    }

    [Fact]
    public Task A_fly_macaroon_token_with_its_scheme_is_reported()
    {
        var token = "FlyV1 fm2_" + new string('A', 60) + "lJPECAAAAAAAAa+" + new string('b', 60) + "==";
        return Verify.VerifyAsync(Program(token), null,
            new DiagnosticResult(Descriptors.HardcodedSecret).WithSpan(1, 23, 1, 23 + token.Length).WithArguments(Description("fly-token"), "FlyV1 fm2_AAAA…", "fly-token", Hint("fly-token")));
    }

    [Theory]
    [InlineData("sb_publishable_AbCdEfGhIjKlMnOpQrStUvWxYz0123")]
    [InlineData("sk-...")]
    [InlineData("sk-proj-<your-key>")]
    [InlineData("<your-service-role-key>")]
    [InlineData("sbp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public Task Publishable_keys_placeholders_hashes_and_uuids_are_not_reported(string text) =>
        Verify.VerifyAsync(Program(text));

    private static string Description(string id) => id switch
    {
        "supabase-secret-key" => "Supabase secret API key (sb_secret_: bypasses RLS)",
        "supabase-access-token" => "Supabase personal access token (sbp_: the account's every project through the Management API)",
        "openai-api-key" => "OpenAI API key (project, service account, admin or legacy user key: spends the organization's money)",
        _ => "Fly.io access token (deploys and controls the organization's apps)",
    };

    private static string Hint(string id) => id switch
    {
        "supabase-secret-key" => "keep it on the server only; delete it in the project's API keys settings and create a new one",
        "supabase-access-token" => "revoke it in the account's access tokens settings; CI reads SUPABASE_ACCESS_TOKEN from its secret store",
        "openai-api-key" => "delete it in the OpenAI dashboard's API keys and create a new one; read OPENAI_API_KEY from a secret store",
        _ => "revoke it (fly tokens revoke); CI reads FLY_API_TOKEN from its secret store, scoped with fly tokens create deploy",
    };
}
