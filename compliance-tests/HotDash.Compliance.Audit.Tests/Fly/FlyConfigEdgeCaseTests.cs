using HotDash.Compliance.Audit.Fly;

namespace HotDash.Compliance.Audit.Tests.Fly;

public class FlyConfigEdgeCaseTests
{
    [Theory]
    [InlineData("2048", 2048)]
    [InlineData("\"2048\"", 2048)]
    [InlineData("\"2gb\"", 2048)]
    [InlineData("\"2GB\"", 2048)]
    [InlineData("\"2G\"", 2048)]
    [InlineData("\"2GiB\"", 2048)]
    [InlineData("\"1.5gb\"", 1536)]
    [InlineData("\"4096mb\"", 4096)]
    [InlineData("\"512MB\"", 512)]
    [InlineData("\"512 mb\"", 512)]
    [InlineData("\"1tb\"", 1048576)]
    [InlineData("\"2097152kb\"", 2048)]
    public void Memory_forms(string memory, int expected) =>
        Size($"[[vm]]\nmemory = {memory}\n").MemoryMb.Should().Be(expected);

    [Theory]
    [InlineData("0", "positive")]
    [InlineData("\"0gb\"", "less than 1 MB")]
    [InlineData("\"2 gigs\"", "not a memory size flyctl accepts")]
    [InlineData("\"2pb\"", "not a memory size flyctl accepts")]
    [InlineData("true", "not a boolean")]
    [InlineData("1.5", "not a float")]
    [InlineData("-512", "positive")]
    public void Memory_values_flyctl_rejects_are_errors_at_their_line(string memory, string message)
    {
        var size = Size($"app = \"x\"\n\n[[vm]]\n  cpus = 1\n  memory = {memory}\n");
        size.MemoryMb.Should().BeNull();
        size.Error.Should().Contain(message);
        size.Line.Should().Be(5);
    }

    [Fact]
    public void An_unknown_preset_is_an_error_naming_the_known_ones()
    {
        var size = Size("[[vm]]\nsize = \"shared-cpu-3x\"\n");
        size.Error.Should().Contain("\"shared-cpu-3x\" is not a machine size flyctl knows").And.Contain("shared-cpu-2x");
        size.Line.Should().Be(2);
    }

    [Fact]
    public void Single_table_vm_and_array_vm_are_the_same()
    {
        Size("[vm]\nsize = \"shared-cpu-4x\"\n").MemoryMb.Should().Be(1024);
        Size("[[vm]]\nsize = \"shared-cpu-4x\"\n").MemoryMb.Should().Be(1024);
        Size("vm = { size = \"shared-cpu-4x\" }\n").MemoryMb.Should().Be(1024);
        Size("vm = [{ size = \"shared-cpu-4x\" }]\n").MemoryMb.Should().Be(1024);
        Size("vm.size = \"shared-cpu-4x\"\nvm.memory = \"2gb\"\n").MemoryMb.Should().Be(2048);
    }

    [Fact]
    public void Compute_and_computes_are_aliases_of_vm()
    {
        Size("[[compute]]\nsize = \"performance-1x\"\n").MemoryMb.Should().Be(2048);
        Size("[[computes]]\nmemory = \"3gb\"\n").MemoryMb.Should().Be(3072);
    }

    [Fact]
    public void Gpu_presets_and_gpu_kind_default_to_their_sizes()
    {
        Size("[[vm]]\nsize = \"l40s\"\n").MemoryMb.Should().Be(32768);
        Size("[[vm]]\nsize = \"a10\"\n").MemoryMb.Should().Be(32768);
        Size("[[vm]]\ngpu_kind = \"a100-pcie-40gb\"\n").MemoryMb.Should().Be(16384, "gpu_kind without size starts from performance-8x");
    }

    [Fact]
    public void Memory_mb_overrides_memory_unless_zero()
    {
        Size("[[vm]]\nmemory = \"1gb\"\nmemory_mb = 3072\n").MemoryMb.Should().Be(3072);
        Size("[[vm]]\nmemory = \"1gb\"\nmemory_mb = 0\n").MemoryMb.Should().Be(1024);
        Size("[[vm]]\nsize = \"performance-2x\"\nmemory_mb = 1024\n").MemoryMb.Should().Be(1024);
    }

    [Fact]
    public void A_group_listed_in_two_sections_takes_the_last_whole_section()
    {
        var config = FlyConfig.Parse("""
            [processes]
            app = "web"
            worker = "jobs"

            [[vm]]
            processes = ["worker"]
            size = "performance-2x"

            [[vm]]
            processes = ["app", "worker"]
            cpus = 2
            """, "fly.toml");
        var worker = config.SizeOf("worker");
        worker.MemoryMb.Should().Be(256, "the last section naming the group applies whole; nothing is merged from the first");
        worker.Line.Should().Be(9);
    }

    [Fact]
    public void The_release_command_vm_is_not_a_process_group_section()
    {
        var config = FlyConfig.Parse("[deploy.release_command_vm]\nsize = \"performance-8x\"\n\n[[vm]]\nsize = \"shared-cpu-2x\"\n", "fly.toml");
        config.Sections.Should().ContainSingle();
        config.SizeOf("app").MemoryMb.Should().Be(512);
    }

    [Theory]
    [InlineData("processes = \"web\"\n", "[processes] must be a table", 1)]
    [InlineData("vm = \"big\"\n", "'vm' must be a table or an array of tables", 1)]
    [InlineData("[[vm]]\nprocesses = \"worker\"\n", "processes must be an array of group names", 1)]
    [InlineData("app = \"x\"\napp = \"y\"\n", "invalid TOML", 2)]
    [InlineData("[[vm]\nmemory = 1\n", "invalid TOML", 1)]
    public void Wrong_shapes_fail_with_a_located_message(string toml, string message, int line)
    {
        var parse = () => FlyConfig.Parse(toml, "apps/x/fly.toml");
        var error = parse.Should().Throw<FlyConfigException>().Which;
        error.Message.Should().StartWith($"apps/x/fly.toml({line},").And.Contain(message);
    }

    [Fact]
    public void A_missing_file_fails_with_its_path()
    {
        var load = () => FlyConfig.Load("/nonexistent/fly.toml");
        load.Should().Throw<FlyConfigException>().WithMessage("*/nonexistent/fly.toml*does not exist*");
    }

    private static GroupSize Size(string toml) => FlyConfig.Parse(toml, "fly.toml").SizeOf("app");
}
