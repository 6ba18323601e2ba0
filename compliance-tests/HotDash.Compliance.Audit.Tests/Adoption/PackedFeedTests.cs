using System.IO;

namespace HotDash.Compliance.Audit.Tests.Adoption;

/// <summary>The packing tests leave no version of theirs in the NuGet cache.</summary>
public class PackedFeedTests
{
    [Fact]
    public void Only_the_runs_own_version_of_the_named_packages_is_removed_from_the_cache()
    {
        var cache = Directory.CreateTempSubdirectory("hotdash-nuget-cache-").FullName;
        foreach (var folder in new[] { "hotdash.compliance.suite/0.0.0-e2e.1", "hotdash.compliance.suite/0.1.0", "hotdash.compliance.audit/0.0.0-e2e.1", "xunit.v3.assert/0.0.0-e2e.1" })
        {
            Directory.CreateDirectory(Path.Combine(cache, folder));
        }

        PackedFeed.RemoveFromCacheAt(cache, "0.0.0-E2E.1", "HotDash.Compliance.Suite", "HotDash.Compliance.Audit");

        Directory.Exists(Path.Combine(cache, "hotdash.compliance.suite", "0.0.0-e2e.1")).Should().BeFalse();
        Directory.Exists(Path.Combine(cache, "hotdash.compliance.audit", "0.0.0-e2e.1")).Should().BeFalse();
        Directory.Exists(Path.Combine(cache, "hotdash.compliance.suite", "0.1.0")).Should().BeTrue("a real version stays");
        Directory.Exists(Path.Combine(cache, "xunit.v3.assert", "0.0.0-e2e.1")).Should().BeTrue("another package stays");
    }
}
