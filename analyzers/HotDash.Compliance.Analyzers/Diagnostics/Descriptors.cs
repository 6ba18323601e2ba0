using Microsoft.CodeAnalysis;

namespace HotDash.Compliance.Analyzers.Diagnostics;

/// <summary>
/// Every diagnostic the analyzers report, in one place. IDs are stable and shared with the
/// test-time suite (see DESIGN.md); each has its page under docs/rules as help link.
/// </summary>
public static class Descriptors
{
    public const string HelpLinkBase = "https://github.com/hotdash-dev/HotDash.Compliance/blob/main/docs/rules/";

    public const string RulesCategory = "HotDash.Rules";
    public const string ConfigurationCategory = "HotDash.Configuration";
    public const string SecurityCategory = "HotDash.Security";
    public const string ApiCategory = "HotDash.Api";
    public const string DatabaseCategory = "HotDash.Database";

    public static readonly DiagnosticDescriptor RulesFileInvalid = Create(
        "HD0001",
        "HotDash rules file is invalid",
        "Rules file is invalid at {0}: {1}; the built-in defaults apply until it is fixed",
        RulesCategory,
        DiagnosticSeverity.Warning,
        "The rules file (hotdash.rules.json) must be valid JSON that matches rules/canonical-stack.schema.json. While it is invalid the analyzers enforce the built-in defaults instead.");

    public static readonly DiagnosticDescriptor DeprecatedConfigurationKey = Create(
        "HD1001",
        "Deprecated configuration key is read",
        "{0} uses the deprecated configuration key '{1}' (the HotDash rules deprecate '{2}'); to fix: {3}",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        "A configuration key declared deprecated in the rules file is read from the environment, IConfiguration, an options binding or appsettings. Any spelling .NET configuration treats as equal counts (case, ':' and '__').");

    public static readonly DiagnosticDescriptor HardcodedSecret = Create(
        "HD1002",
        "Hard-coded secret",
        "Hard-coded {0} '{1}' (pattern '{2}'); remove it from source, {3}",
        SecurityCategory,
        DiagnosticSeverity.Error,
        "A literal matches a secret pattern of the rules file (by default Shopify tokens: shpat_, shpca_, shppa_, shpss_ followed by 32 hex digits). The message shows only the start of the value.");

    public static readonly DiagnosticDescriptor BannedApi = Create(
        "HD1003",
        "Banned API",
        "'{0}' is banned by the HotDash rules ({1}): {2}",
        ApiCategory,
        DiagnosticSeverity.Warning,
        "An API listed under bannedApis in the rules file (documentation-comment ID syntax, as in BannedSymbols.txt) is used.");

    public static readonly DiagnosticDescriptor ForbiddenDatabaseProvider = Create(
        "HD3001",
        "Connection string points at a forbidden database provider",
        "Connection string points at host '{0}', which is {1} (host pattern '{2}'), a provider the HotDash rules forbid; the declared provider is {3}: use its connection string",
        DatabaseCategory,
        DiagnosticSeverity.Warning,
        "A PostgreSQL connection string (postgres:// URI, or Host=/Server= keywords) in a string literal or an appsettings*.json value names a host that the rules classify as a forbidden provider, such as Fly Postgres (*.flycast, *.internal). The same classifier drives the test-time audit HD6001.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md");
}
