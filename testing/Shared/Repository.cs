using System.IO;
using System.Linq;
using System.Reflection;

namespace HotDash.Compliance.Testing;

/// <summary>Paths into the repository the tests were built from (set at build time by testing/Shared.props).</summary>
internal static class Repository
{
    public static string Root { get; } = Path.GetFullPath(
        Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));
}
