using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Fly;

namespace HotDash.Compliance.Audit.Tests.Fly;

/// <summary>
/// Every real fly.toml in TestData/fly (see its SOURCES.md), with the memory per process group that flyctl's rules
/// give (SOURCES.md): "-" where no section applies, so the file leaves the size to whatever runs.
/// </summary>
public class FlyConfigFixtureTests
{
    private static readonly string Fixtures = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "fly");

    [Theory]
    [InlineData("SwiftToolkit__vapor-sample__fly.toml", "app=1024")]
    [InlineData("WeKruit__GHOST-HANDS__fly.worker.toml", "worker=4096")]
    [InlineData("chatwoot__chatwoot__fly.toml@178e579.toml", "app=1024 sidekiq=1024")]
    [InlineData("chatwoot__chatwoot__fly.toml@25ab5c1.toml", "app=- worker=-")]
    [InlineData("chrhansen__shred-day__fly.worker.toml", "app=4096")]
    [InlineData("cosmik-network__semble__fly.production.toml", "web=1024 feed-worker=512 search-worker=512 firehose-worker=1024 notification-worker=512 sync-worker=1024")]
    [InlineData("dev-hato__hato-bot__fly.toml", "app=256")]
    [InlineData("fly-apps__ollama-open-webui__fly.toml", "app=16384")]
    [InlineData("fly-apps__python_gpu_example__fly.toml", "app=32768")]
    [InlineData("fly-apps__vllm-demo__fly.toml", "head=32768 app=425984 oapi=425984")]
    [InlineData("justenriquez19__questly-assistant__fly.toml", "app=1536")]
    [InlineData("kmcphillips__twilio-rails-example__fly.toml", "app=- sidekiq=-")]
    [InlineData("rubys__showcase__fly__applications__printer__fly.toml", "app=2048")]
    [InlineData("superfly__flyctl__format-quirks.toml", "app=512")]
    [InlineData("superfly__flyctl__tomachine-compute-nodefault.toml", "app=- woo=- bar=8192")]
    [InlineData("superfly__flyctl__tomachine-compute.toml", "app=512 worker=512 whisper=65536 isolated=256")]
    [InlineData("ujh__fountainpencompanion__fly.toml", "web=512 worker=512")]
    public void Each_real_file_gives_flyctls_memory_per_group(string file, string expected)
    {
        var config = FlyConfig.Load(Path.Combine(Fixtures, file));
        var actual = string.Join(" ", config.Groups.Select(g => $"{g}={config.SizeOf(g).MemoryMb?.ToString() ?? "-"}"));
        actual.Should().Be(expected);
        config.Groups.Select(config.SizeOf).Should().OnlyContain(s => s.Error == null);
    }

    [Fact]
    public void The_file_with_a_duplicate_key_is_rejected_with_its_line()
    {
        var load = () => FlyConfig.Load(Path.Combine(Fixtures, "datasektionen__haj__fly.production.toml"));
        var error = load.Should().Throw<FlyConfigException>().Which;
        error.Line.Should().Be(20);
        error.Column.Should().Be(3);
        error.Message.Should().Contain("datasektionen__haj__fly.production.toml(20,3)").And.Contain("ZFINGER_URL");
    }

    [Fact]
    public void Every_fixture_is_covered_by_a_test()
    {
        var tested = typeof(FlyConfigFixtureTests).GetMethod(nameof(Each_real_file_gives_flyctls_memory_per_group))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.Data[0]!).Append("datasektionen__haj__fly.production.toml");
        Directory.GetFiles(Fixtures, "*.toml").Select(Path.GetFileName).Should().BeEquivalentTo(tested);
    }

    [Fact]
    public void Sections_report_their_lines()
    {
        var config = FlyConfig.Load(Path.Combine(Fixtures, "cosmik-network__semble__fly.production.toml"));
        config.ProcessesLine.Should().Be(6);
        var size = config.SizeOf("search-worker");
        size.Line.Should().Be(34);
        size.Section!.Describe().Should().Be("[[vm]] #3 (processes = [\"search-worker\"])");
        size.Evidence.Should().Contain("memory = \"512mb\" (512 MB) overrides the size");
    }
}
