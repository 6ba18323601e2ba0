using Microsoft.CodeAnalysis;

namespace HotDash.Compliance.Analyzers.Diagnostics;

/// <summary>
/// Every diagnostic the analyzers report, in one place. IDs are stable and shared with the
/// test-time suite (see docs/architecture.md); each has its page under docs/rules as help link.
/// </summary>
public static class Descriptors
{
    public const string RulesCategory = "HotDash.Rules";
    public const string ConfigurationCategory = "HotDash.Configuration";
    public const string SecurityCategory = "HotDash.Security";
    public const string ApiCategory = "HotDash.Api";
    public const string DatabaseCategory = "HotDash.Database";
    public const string StructuredOutputsCategory = "HotDash.StructuredOutputs";

    public static readonly DiagnosticDescriptor RulesFileInvalid = Create(
        RuleIds.RulesFileInvalid,
        "HotDash rules file is invalid",
        "Rules file is invalid at {0}: {1}; until it is fixed only the built-in defaults apply, not your rules",
        RulesCategory,
        DiagnosticSeverity.Error,
        "The rules file (hotdash.rules.json) must be valid JSON that matches rules/canonical-stack.schema.json. While it is invalid the analyzers enforce the built-in defaults instead of the checks it declares, so it fails the build: a build that passes on rules it could not read would say nothing.");

    public static readonly DiagnosticDescriptor DeprecatedConfigurationKey = Create(
        RuleIds.DeprecatedConfigurationKey,
        "Deprecated configuration key is read",
        "{0} uses the deprecated configuration key '{1}' (the HotDash rules deprecate '{2}'); to fix: {3}",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        "A configuration key declared deprecated in the rules file is read from the environment, IConfiguration, an options binding or appsettings. Any spelling .NET configuration treats as equal counts (case, ':' and '__').");

    public static readonly DiagnosticDescriptor HardcodedSecret = Create(
        RuleIds.HardcodedSecret,
        "Hard-coded secret",
        "Hard-coded {0} '{1}' (pattern '{2}'); remove it from source, {3}",
        SecurityCategory,
        DiagnosticSeverity.Error,
        "A literal matches a secret pattern of the rules file (by default Shopify tokens: shpat_, shpca_, shppa_, shpss_ followed by 32 hex digits). The message shows only the start of the value.");

    public static readonly DiagnosticDescriptor BannedApi = Create(
        RuleIds.BannedApi,
        "Banned API",
        "'{0}' is banned by the HotDash rules ({1}): {2}",
        ApiCategory,
        DiagnosticSeverity.Warning,
        "An API listed under bannedApis in the rules file (documentation-comment ID syntax, as in BannedSymbols.txt) is used.");

    public static readonly DiagnosticDescriptor ForbiddenDatabaseProvider = Create(
        RuleIds.ForbiddenDatabaseProvider,
        "Connection string points at a forbidden database provider",
        "Connection string points at host '{0}', which is {1} (host pattern '{2}'), a provider the HotDash rules forbid; the declared provider is {3}: use its connection string",
        DatabaseCategory,
        DiagnosticSeverity.Warning,
        "A PostgreSQL connection string (postgres:// URI, or Host=/Server= keywords) in a string literal or an appsettings*.json value names a host that the rules classify as a forbidden provider, such as Fly Postgres (*.flycast, *.internal). The same classifier drives the test-time audit HD6001.");

    public static readonly DiagnosticDescriptor StrictSchemaRejected = Create(
        RuleIds.StrictSchemaRejected,
        "Schema rejected by strict mode",
        "{0} sends a strict JSON schema that strict mode would reject: {1}",
        StructuredOutputsCategory,
        DiagnosticSeverity.Error,
        "A JSON schema given as a literal to a strict structured-output entry point breaks a strict-mode rule: an object root, additionalProperties false everywhere, every property required (optional fields as unions with null), items on arrays, nothing beside $ref, no unsupported keyword or format, and the size limits. The provider rejects such a schema at run time; what strict mode takes is the rules file's provider profile (structuredOutputs.profile).");

    public static readonly DiagnosticDescriptor OptionalPropertyNotNullable = Create(
        RuleIds.OptionalPropertyNotNullable,
        "Optional property is not nullable in a structured-output type",
        "Property '{0}' of structured-output type '{1}' may be absent ({2}) but is not nullable; strict mode makes every property required, so make it nullable ('{3}?') or mark it 'required'",
        StructuredOutputsCategory,
        DiagnosticSeverity.Error,
        "A type sent in strict mode through an entry point whose schema leaves optional properties out of 'required' has a property that C# treats as optional (a default value, a default parameter, [DefaultValue], or [JsonIgnore(Condition = WhenWritingNull/WhenWritingDefault)]) but whose type is not nullable. Strict mode rejects that schema; an optional field must be expressed as nullable.");

    public static readonly DiagnosticDescriptor OptionalPropertyFilledByModel = Create(
        RuleIds.OptionalPropertyFilledByModel,
        "Strict mode makes the model fill a property the C# type treats as optional",
        "Property '{0}' of structured-output type '{1}' may be absent ({2}), but {3} sends it as required in strict mode: the model always fills it and the default never applies; make it nullable ('{4}?') so the model can answer null, or mark it 'required'",
        StructuredOutputsCategory,
        DiagnosticSeverity.Warning,
        "A type sent in strict mode by an SDK that lists every property as required (Microsoft.Extensions.AI, Semantic Kernel: captured) has a property that C# treats as optional but whose type is not nullable. The API accepts the schema, but the model must produce a value for it every time, so the C# default is never used and the model invents one.");

    public static readonly DiagnosticDescriptor TypeNotRepresentable = Create(
        RuleIds.TypeNotRepresentable,
        "Type cannot be represented in strict mode",
        "Structured-output type '{0}' cannot be sent in strict mode: {1}",
        StructuredOutputsCategory,
        DiagnosticSeverity.Error,
        "A type sent to a strict structured-output API contains an open shape (dictionary, object, JsonElement, JsonNode, dynamic) that strict mode cannot express, exceeds the provider profile's limits (nesting depth, property count, enum values), or is sent by an SDK with validation keywords (format, pattern, minimum, lengths) the profile refuses.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: RuleIds.HelpLink(id));
}
