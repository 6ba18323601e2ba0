using System;
using System.Threading.Tasks;
using HotDash.Compliance.Audit.Database;
using HotDash.Compliance.Audit.Rules;

namespace HotDash.Compliance.Audit.Tests.Infrastructure;

/// <summary>Opens an audit session the way the suite does, for one test.</summary>
internal static class Audits
{
    public static Task<AuditSession> OpenAsync(string url) =>
        AuditSession.OpenAsync(DatabaseTarget.Parse(url), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

    public static RulesDocument Rules(string json) => RulesFile.Parse(json, "test rules").Document;

    public static RulesDocument Defaults => RulesFile.BuiltIn().Document;
}
