using System;
using System.IO;

namespace HotDash.Compliance.Testing;

/// <summary>Packages packed by a test with a version of its own run, which restores copy into the NuGet cache.</summary>
internal static class PackedFeed
{
    /// <summary>
    /// Removes this run's versions of the packages from the global packages folder (NUGET_PACKAGES, else
    /// ~/.nuget/packages): a test must not leave a machine's cache growing by one version of each package per run.
    /// </summary>
    public static void RemoveFromCache(string version, params string[] packageIds) => RemoveFromCacheAt(GlobalPackagesFolder, version, packageIds);

    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public static void RemoveFromCacheAt(string cache, string version, params string[] packageIds)
    {
        foreach (var id in packageIds)
        {
            var folder = Path.Combine(cache, id.ToLowerInvariant(), version.ToLowerInvariant());
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // In use by another process: it goes with the next run's cleanup of its own version, or by hand.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
