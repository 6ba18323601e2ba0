using HotDash.Compliance.Analyzers.Diagnostics;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verify = HotDash.Compliance.Analyzers.Tests.Infrastructure.AnalyzerTest<HotDash.Compliance.Analyzers.Configuration.DeprecatedConfigurationKeyAnalyzer>;

namespace HotDash.Compliance.Analyzers.Tests.Configuration;

public class HD1001DeprecatedConfigurationKeyTests
{
    private const string Usings = """
        using System;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;

        """;

    [Theory]
    [InlineData("Environment.GetEnvironmentVariable({|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|})")]
    [InlineData("Environment.GetEnvironmentVariable({|HD1001:\"shopify_admin_token\"|}, EnvironmentVariableTarget.Process)")]
    [InlineData("config[{|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|}]")]
    [InlineData("config[{|HD1001:\"Shopify:AdminToken\"|}]")]
    [InlineData("config[{|HD1001:\"shopify:admintoken\"|}]")]
    [InlineData("config[{|HD1001:\"Shopify__AdminToken\"|}]")]
    [InlineData("config.GetValue<string>({|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|})")]
    [InlineData("config.GetValue(typeof(string), {|HD1001:\"Shopify:AdminToken\"|})")]
    [InlineData("ConfigurationBinder.GetValue<string>(config, {|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|})")]
    [InlineData("config.GetSection({|HD1001:\"Shopify:AdminToken\"|}).Value")]
    [InlineData("config.GetSection(\"Shopify\")[{|HD1001:\"AdminToken\"|}]")]
    [InlineData("config.GetSection(\"Shopify\").GetValue<string>({|HD1001:\"AdminToken\"|})")]
    [InlineData("config.GetRequiredSection(\"Shopify\")[{|HD1001:\"AdminToken\"|}]")]
    [InlineData("config.GetRequiredSection({|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|}).Value")]
    [InlineData("config.GetConnectionString({|HD1001:\"Legacy\"|})")]
    [InlineData("root[{|HD1001:\"SHOPIFY_ADMIN_TOKEN\"|}]")]
    [InlineData("Environment.GetEnvironmentVariable({|HD1001:Keys.Token|})")]
    [InlineData("Environment.GetEnvironmentVariable({|HD1001:\"SHOPIFY_\" + \"ADMIN_\" + \"TOKEN\"|})")]
    [InlineData("Environment.GetEnvironmentVariable({|HD1001:Keys.Prefix + \"TOKEN\"|})")]
    [InlineData("config[{|HD1001:nameof(Shopify) + \":\" + nameof(Shopify.AdminToken)|}]")]
    [InlineData("config[{|HD1001:$\"{Keys.Prefix}TOKEN\"|}]")]
    public Task Reading_a_deprecated_key_is_reported(string expression) =>
        Verify.VerifyAsync(Program(expression), RulesWithConnectionString);

    [Theory]
    [InlineData("Environment.GetEnvironmentVariable(\"SHOPIFY_API_KEY\")")]
    [InlineData("Environment.GetEnvironmentVariable(\"SHOPIFY_ADMIN_TOKEN_ROTATED\")")]
    [InlineData("config[\"Shopify:ApiKey\"]")]
    [InlineData("config.GetSection(\"Other\")[\"AdminToken\"]")]
    [InlineData("config.GetSection(\"Shopify\").Value")]
    [InlineData("config.GetConnectionString(\"Supabase\")")]
    [InlineData("Environment.GetEnvironmentVariable(name)")]
    [InlineData("config[name]")]
    [InlineData("\"SHOPIFY_ADMIN_TOKEN\"")]
    [InlineData("Environment.GetEnvironmentVariable(\"SHOPIFY_ADMIN_TOKEN\".ToLowerInvariant())")]
    public Task Other_keys_and_non_constant_keys_are_not_reported(string expression) =>
        Verify.VerifyAsync(Program(expression), RulesWithConnectionString);

    [Fact]
    public Task Configuration_key_name_attribute_is_reported() =>
        Verify.VerifyAsync(Usings + """
            public class ShopifyOptions
            {
                [{|HD1001:ConfigurationKeyName("SHOPIFY_ADMIN_TOKEN")|}]
                public string? Token { get; set; }

                [ConfigurationKeyName("SHOPIFY_API_KEY")]
                public string? ApiKey { get; set; }
            }
            """);

    [Fact]
    public Task Options_bound_from_a_section_are_reported_at_the_binding() =>
        Verify.VerifyAsync(Usings + """
            public class ShopifyOptions
            {
                public string? AdminToken { get; set; }
                public string? ApiKey { get; set; }
            }

            public class SafeOptions
            {
                public string? ApiKey { get; set; }
            }

            public static class Startup
            {
                public static void Configure(IServiceCollection services, IConfiguration config)
                {
                    {|HD1001:services.Configure<ShopifyOptions>(config.GetSection("Shopify"))|};
                    services.Configure<SafeOptions>(config.GetSection("Shopify"));
                    services.Configure<ShopifyOptions>(config.GetSection("Elsewhere"));
                    var bound = {|HD1001:config.GetSection("Shopify").Get<ShopifyOptions>()|};
                    {|HD1001:config.Bind("Shopify", new ShopifyOptions())|};
                }
            }
            """);

    [Fact]
    public Task Nested_options_classes_compose_their_paths() =>
        Verify.VerifyAsync(Usings + """
            public class AppOptions
            {
                public ShopifySettings Shopify { get; set; } = new();
            }

            public class ShopifySettings
            {
                public string? AdminToken { get; set; }
            }

            public static class Startup
            {
                public static AppOptions? Load(IConfiguration config) => {|HD1001:config.Get<AppOptions>()|};
            }
            """);

    [Fact]
    public async Task Appsettings_keys_are_reported_at_their_line_and_column()
    {
        var test = Verify.Create(Usings + "class C { }");
        test.TestState.AdditionalFiles.Add(("/app/appsettings.Production.json", """
            {
              "Logging": { "LogLevel": { "Default": "Information" } },
              "Shopify": {
                "ApiKey": "public",
                "AdminToken": "from-secret-store"
              },
              "SHOPIFY__ADMINTOKEN": "x"
            }
            """));
        test.TestState.AdditionalFiles.Add(("/app/notsettings.json", """{ "SHOPIFY_ADMIN_TOKEN": "ignored: not an appsettings file" }"""));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("HD1001", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithSpan("/app/appsettings.Production.json", 5, 5, 5, 17)
            .WithArguments("appsettings.Production.json", "Shopify:AdminToken", "SHOPIFY_ADMIN_TOKEN", ReplacementOfDefaults));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("HD1001", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithSpan("/app/appsettings.Production.json", 7, 3, 7, 24)
            .WithArguments("appsettings.Production.json", "SHOPIFY__ADMINTOKEN", "SHOPIFY_ADMIN_TOKEN", ReplacementOfDefaults));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Message_names_the_api_the_key_and_the_fix() =>
        Verify.VerifyAsync(
            Usings + """class C { string? M() => Environment.GetEnvironmentVariable("SHOPIFY_ADMIN_TOKEN"); }""",
            null,
            new DiagnosticResult(Descriptors.DeprecatedConfigurationKey)
                .WithSpan(4, 61, 4, 82)
                .WithArguments("'Environment.GetEnvironmentVariable'", "SHOPIFY_ADMIN_TOKEN", "SHOPIFY_ADMIN_TOKEN", ReplacementOfDefaults));

    [Fact]
    public Task A_rules_file_without_deprecated_keys_reports_nothing() =>
        Verify.VerifyAsync(
            Program("Environment.GetEnvironmentVariable(\"SHOPIFY_ADMIN_TOKEN\")"),
            """{ "version": 1, "configuration": { "deprecatedKeys": [] } }""");

    [Fact]
    public Task Generated_code_is_skipped()
    {
        var test = Verify.Create("// <auto-generated/>\n" + Usings + """
            class Generated { string? M() => Environment.GetEnvironmentVariable("SHOPIFY_ADMIN_TOKEN"); }
            """);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    internal const string ReplacementOfDefaults =
        "authenticate each request with the Shopify app's per-request admin authentication (session token exchange) rather than a static admin token";

    private const string RulesWithConnectionString = """
        {
          "version": 1,
          "configuration": {
            "deprecatedKeys": [
              { "key": "SHOPIFY_ADMIN_TOKEN", "aliases": ["Shopify:AdminToken"], "replacement": "use per-request authentication" },
              { "key": "ConnectionStrings:Legacy", "replacement": "use ConnectionStrings:Supabase" }
            ]
          }
        }
        """;

    private static string Program(string expression) => Usings + $$"""
        public static class Keys
        {
            public const string Prefix = "SHOPIFY_ADMIN_";
            public const string Token = Prefix + "TOKEN";
        }

        public static class Shopify { public const int AdminToken = 0; }

        public class Probe
        {
            public object? Read(IConfiguration config, IConfigurationRoot root, string name) => {{expression}};
        }
        """;
}
