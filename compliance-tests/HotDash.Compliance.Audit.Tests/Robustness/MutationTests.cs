using System;
using System.IO;
using System.Linq;
using HotDash.Compliance.Audit.Fly;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Tests.Robustness;

/// <summary>
/// Rules files, fly.toml files and machines snapshots, mutated (seeded, reproducible): each one either
/// loads or fails with a located error of its own kind; nothing else escapes.
/// </summary>
[Trait("Category", "Robustness")]
public class MutationTests
{
    private const int Seed = 20261125;

    [Fact]
    public void Mutated_rules_files_load_or_fail_with_a_located_rules_error()
    {
        var sources = new[] { Repository.Read("rules", "canonical-stack.json"), Repository.Read("samples", "hotdash.rules.json") };
        var random = new Random(Seed);
        for (var i = 0; i < 2000; i++)
        {
            var text = Mutations.Mutate(sources[i % sources.Length], random);
            try
            {
                RulesFile.Parse(text, "mutated.json");
            }
            catch (RulesFileException e)
            {
                e.Problems.Should().NotBeEmpty($"seed {Seed}, variant {i}");
                e.Problems.Should().OnlyContain(p => p.Line > 0 && p.Column > 0, $"seed {Seed}, variant {i}: {e.Message}");
            }
        }
    }

    [Fact]
    public void Mutated_fly_toml_files_load_or_fail_with_a_located_fly_error()
    {
        var fixtures = Repository.PathOf("compliance-tests", "HotDash.Compliance.Audit.Tests", "TestData", "fly");
        var sources = Directory.GetFiles(fixtures, "*.toml").Order(StringComparer.Ordinal).Select(File.ReadAllText)
            .Append(Repository.Read("samples", "fly", "chatwoot", "fly.toml")).ToArray();
        var random = new Random(Seed);
        for (var i = 0; i < 3000; i++)
        {
            var text = Mutations.Mutate(sources[random.Next(sources.Length)], random);
            try
            {
                var config = FlyConfig.Parse(text, "mutated/fly.toml");
                foreach (var group in config.Groups)
                {
                    var size = config.SizeOf(group);
                    (size.MemoryMb is not null || size.Error is not null || size.Section is null).Should().BeTrue($"seed {Seed}, variant {i}");
                }
            }
            catch (FlyConfigException e)
            {
                e.Message.Should().StartWith("mutated/fly.toml(", $"seed {Seed}, variant {i}");
            }
        }
    }

    [Fact]
    public void Mutated_machines_snapshots_load_or_fail_with_a_located_snapshot_error()
    {
        var sources = new[]
        {
            Repository.Read("samples", "fly", "chatwoot", "machines.json"),
            """[ { "Process": "worker", "Count": 2, "CPUKind": "shared", "CPUs": 2, "Memory": 1024 } ]""",
        };
        var random = new Random(Seed);
        for (var i = 0; i < 2000; i++)
        {
            var text = Mutations.Mutate(sources[i % sources.Length], random);
            try
            {
                FlyMachinesSnapshot.Parse(text, "mutated.json");
            }
            catch (FlyMachinesException e)
            {
                e.Message.Should().StartWith("mutated.json", $"seed {Seed}, variant {i}");
            }
        }
    }
}
