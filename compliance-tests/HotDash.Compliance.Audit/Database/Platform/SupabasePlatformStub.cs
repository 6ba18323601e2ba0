using System.IO;
using System.Reflection;

namespace HotDash.Compliance.Audit.Database.Platform;

/// <summary>
/// The Supabase-platform stub (supabase-platform-stub.sql): roles with their real attributes, the default
/// privileges that hand new public tables to the API roles, auth and storage with their helpers. Laid on a
/// disposable database before an app's migrations, so they meet what they would meet on Supabase.
/// </summary>
public static class SupabasePlatformStub
{
    public static string Sql { get; } = Read();

    private static string Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HotDash.Compliance.supabase-platform-stub.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
