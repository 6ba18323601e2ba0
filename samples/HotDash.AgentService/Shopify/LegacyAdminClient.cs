namespace HotDash.AgentService.Shopify;

/// <summary>
/// A leftover from before per-request authentication: a token pasted into source (HD1002, an error).
/// The value is a fake of the right shape.
/// </summary>
public static class LegacyAdminClient
{
    public const string AdminToken = "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";
}
