using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Analyzers.Tests.Infrastructure;

namespace HotDash.Compliance.Analyzers.Tests.EndToEnd;

/// <summary>
/// `dotnet build samples/HotDash.AgentService`, for real: every planted incident is reported at its
/// file(line,col), and the correct code raises nothing.
/// </summary>
[Trait("Category", "EndToEnd")]
public class SampleBuildTests
{
    private static readonly string SampleDirectory = Repository.PathOf("samples", "HotDash.AgentService");

    // samples/run-audit.sh builds the same project (from the audit tests, which run in a process of their own): the
    // two take the same lock file, as the script does with flock, so neither reads the other's half-written obj/.
    private static readonly Lazy<DotNetResult> Build = new(() =>
    {
        Directory.CreateDirectory(Repository.PathOf("artifacts"));
        var result = ProcessRunner.Run("flock", Repository.Root, TimeSpan.FromMinutes(5), null,
            Repository.PathOf("artifacts", ".sample-build.lock"), "dotnet", "build", SampleDirectory, "--no-incremental", "-nologo", "-p:UseSharedCompilation=false");
        return new DotNetResult(result.ExitCode, result.Output);
    });

    [Fact]
    public void The_health_check_reading_the_deprecated_token_is_reported()
    {
        var (line, column) = Find("Health/ShopifyHealthCheck.cs", "\"SHOPIFY_ADMIN_TOKEN\"");
        Diagnostic("HD1001", "Health/ShopifyHealthCheck.cs").Should().ContainSingle(d => d.Line == line && d.Column == column && d.Severity == "warning")
            .Which.Message.Should().Contain("'SHOPIFY_ADMIN_TOKEN'").And.Contain("per-request admin authentication");
    }

    [Fact]
    public void The_deprecated_key_in_appsettings_is_reported_at_its_line_and_column()
    {
        var (line, column) = Find("appsettings.json", "\"AdminToken\"");
        Diagnostic("HD1001", "appsettings.json").Should().ContainSingle(d => d.Line == line && d.Column == column)
            .Which.Message.Should().Contain("'Shopify:AdminToken'");
    }

    [Fact]
    public void The_hard_coded_token_fails_the_build_without_revealing_it()
    {
        var (line, column) = Find("Shopify/LegacyAdminClient.cs", "shpat_");
        Diagnostic("HD1002", "Shopify/LegacyAdminClient.cs").Should().ContainSingle(d => d.Line == line && d.Column == column && d.Severity == "error")
            .Which.Message.Should().NotContain("00112233445566778899aabbccddeeff");
        Build.Value.ExitCode.Should().NotBe(0, "HD1002 is an error by default");
        Build.Value.Output.Should().NotContain("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");
    }

    [Fact]
    public void The_banned_environment_dump_is_reported()
    {
        var (line, column) = Find("Program.cs", "Environment.GetEnvironmentVariables()");
        Diagnostic("HD1003", "Program.cs").Should().ContainSingle(d => d.Line == line && d.Column == column);
    }

    [Fact]
    public void The_staging_connection_string_to_fly_postgres_is_reported()
    {
        var (line, column) = Find("appsettings.Staging.json", "hotdash-staging-db.flycast");
        Diagnostic("HD3001", "appsettings.Staging.json").Should().ContainSingle(d => d.Line == line && d.Column == column)
            .Which.Message.Should().Contain("fly-postgres").And.Contain("the declared provider is supabase");
    }

    [Fact]
    public void The_schema_literal_missing_a_required_entry_is_reported_inside_the_literal_at_the_object_as_the_api_does()
    {
        var (line, column) = Find("Agent/AgentTools.cs", "\"required\": [\"ticket_id\", \"priority\"]");
        Diagnostic("HD2001", "Agent/AgentTools.cs").Should().ContainSingle(d => d.Line == line && d.Column == column && d.Severity == "error")
            .Which.Message.Should().Contain("In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'note'.");
    }

    [Fact]
    public void An_optional_reason_that_is_not_nullable_sent_in_strict_mode_is_reported_where_the_type_is_sent()
    {
        var (line, column) = Find("Agent/DecisionAgent.cs", "AgentDecision>(");
        Diagnostic("HD2004", "Agent/DecisionAgent.cs").Should().ContainSingle(d => d.Line == line && d.Column == column && d.Severity == "warning")
            .Which.Message.Should().Contain("Property 'Reason' of structured-output type 'AgentDecision' may be absent").And.Contain("the model always fills it");
        Diagnostic("HD2002", "Agent/DecisionAgent.cs").Should().BeEmpty("Microsoft.Extensions.AI lists every property as required: strict mode accepts the schema");
    }

    [Fact]
    public async Task Applying_the_code_fix_makes_the_build_clean_of_HD2004()
    {
        var file = Path.Combine(SampleDirectory, "Agent", "DecisionAgent.cs");
        var fixedFiles = await CodeFixRunner.FixAllAsync(
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty
                .Add(file, File.ReadAllText(file))
                .Add("/implicit/GlobalUsings.cs", "global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;"),
            new Analyzers.StructuredOutputs.StructuredOutputTypeAnalyzer(),
            new CodeFixes.OptionalPropertyCodeFixProvider(),
            CodeFixes.OptionalPropertyCodeFixProvider.MakeNullableKey);
        fixedFiles[file].Should().Contain("public sealed record AgentDecision(string Action, string TicketId, string? Reason = \"\");");

        // Build a copy of the sample with the fixed file: the real compiler and analyzers decide.
        // Inside the repository (artifacts/ is ignored) so its central package versions apply.
        var copy = Directory.CreateDirectory(Repository.PathOf("artifacts", "fixed-sample-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        foreach (var source in Directory.EnumerateFiles(SampleDirectory, "*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(SampleDirectory, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        File.WriteAllText(Path.Combine(copy, "Agent", "DecisionAgent.cs"), fixedFiles[file]);
        var project = Path.Combine(copy, "HotDash.AgentService.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("..\\..\\analyzers\\", Repository.PathOf("analyzers") + "/"));
        File.Copy(Repository.PathOf("samples", "hotdash.rules.json"), Path.Combine(copy, "hotdash.rules.json"));
        var build = DotNet.Run(copy, TimeSpan.FromMinutes(5), "build", "-nologo", "-p:UseSharedCompilation=false", "-p:TreatWarningsAsErrors=false");

        build.Diagnostics.Should().Contain(d => d.Id == "HD2001", "the copy still carries the other planted incidents, so the analyzers ran: " + build.Output);
        build.Diagnostics.Should().NotContain(d => d.Id == "HD2004" || d.Id == "HD2002", build.Output);
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void The_canonical_code_raises_nothing()
    {
        Build.Value.Diagnostics.Where(d => d.File.EndsWith("ShopifyAdminSession.cs", StringComparison.Ordinal)).Should().BeEmpty();
        Build.Value.Diagnostics.Where(d => d.File.EndsWith("DecisionAgent.cs", StringComparison.Ordinal)).Should().ContainSingle("TicketSummary is canonical");
        Build.Value.Diagnostics.Where(d => d.Id.StartsWith("HD", StringComparison.Ordinal)).Should().HaveCount(7, Build.Value.Output);
        Build.Value.Diagnostics.Should().NotContain(d => d.Id == "AD0001" || d.Id.StartsWith("CS", StringComparison.Ordinal), Build.Value.Output);
    }

    private static BuildDiagnostic[] Diagnostic(string id, string relativeFile) =>
        Build.Value.Diagnostics
            .Where(d => d.Id == id && d.File.Replace('\\', '/').EndsWith("HotDash.AgentService/" + relativeFile, StringComparison.Ordinal))
            .ToArray();

    /// <summary>1-based line and column of the first occurrence of <paramref name="marker"/> in a sample file.</summary>
    private static (int Line, int Column) Find(string relativeFile, string marker)
    {
        var lines = File.ReadAllLines(Path.Combine(SampleDirectory, relativeFile));
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(marker, StringComparison.Ordinal);
            if (column >= 0)
            {
                return (i + 1, column + 1);
            }
        }

        throw new InvalidOperationException($"'{marker}' is not in {relativeFile}");
    }
}
