using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>Paths into the repository the tests were built from.</summary>
internal static class Repository
{
    public static string Root { get; } = Path.GetFullPath(
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));
}
