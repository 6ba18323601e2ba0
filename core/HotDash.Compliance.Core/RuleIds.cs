namespace HotDash.Compliance;

/// <summary>
/// Every rule ID, build time and test time alike (one namespace, see docs/architecture.md), and its help link: the
/// rule's page under docs/rules, which diagnostics, reports and SARIF name.
/// </summary>
internal static class RuleIds
{
    public const string RulesFileInvalid = "HD0001";
    public const string DeprecatedConfigurationKey = "HD1001";
    public const string HardcodedSecret = "HD1002";
    public const string BannedApi = "HD1003";
    public const string StrictSchemaRejected = "HD2001";
    public const string OptionalPropertyNotNullable = "HD2002";
    public const string TypeNotRepresentable = "HD2003";
    public const string OptionalPropertyFilledByModel = "HD2004";
    public const string ForbiddenDatabaseProvider = "HD3001";
    public const string TableWithoutRls = "HD5001";
    public const string RlsWithoutPolicy = "HD5002";
    public const string PoliciesWithoutRls = "HD5003";
    public const string ViewBypassesRls = "HD5004";
    public const string StaleExemption = "HD5005";
    public const string AlwaysTruePolicy = "HD5006";
    public const string PolicyTrustsUserMetadata = "HD5007";
    public const string DefinerFunctionCallable = "HD5008";
    public const string DefinerFunctionSearchPath = "HD5009";
    public const string PrivateRelationExposed = "HD5010";
    public const string BucketListable = "HD5011";
    public const string ExposedSchemaNotAudited = "HD5012";
    public const string MigrationFailed = "HD5013";
    public const string ProtectedColumnWritable = "HD5014";
    public const string AttackSucceeded = "HD5015";
    public const string SelfGrantedMembership = "HD5016";
    public const string WrongDatabaseProvider = "HD6001";
    public const string FlyMemoryBelowMinimum = "HD7001";
    public const string FlyMachineDrift = "HD7002";
    public const string FlyDeclarationMissing = "HD7003";
    public const string FlyConfigInvalid = "HD7004";
    public const string FlyWarmCapacity = "HD7005";
    public const string FlyStartedMachines = "HD7006";
    public const string LatencyBudget = "HD8001";

    public const string HelpLinkBase = "https://github.com/hotdash-dev/HotDash.Compliance/blob/main/docs/rules/";

    public static string HelpLink(string ruleId) => HelpLinkBase + ruleId + ".md";
}
