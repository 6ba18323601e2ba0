using System.Linq;

namespace HotDash.Compliance.Secrets;

/// <summary>Shortens a secret for messages: enough to find it, never enough to use it.</summary>
internal static class SecretMask
{
    private static readonly string[] KnownPrefixes =
        ["sb_secret_", "sb_publishable_", "sbp_", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-", "FlyV1 fm2_", "FlyV1 fm1a_", "FlyV1 fm1r_", "fm2_", "fm1a_", "fm1r_", "fo1_"];

    public static string Mask(string secret)
    {
        // Keep a recognisable prefix such as "shpat_", "sb_secret_" or "sk-proj-" plus four characters: the known
        // prefixes first (their random part may hold '-' or '_'), else up to a first underscore.
        var known = KnownPrefixes.Where(p => secret.StartsWith(p, System.StringComparison.Ordinal)).OrderByDescending(p => p.Length).FirstOrDefault();
        var underscore = secret.IndexOf('_');
        var keep = known is not null ? known.Length + 4 : underscore is > 0 and < 12 ? underscore + 1 + 4 : 4;
        if (keep >= secret.Length - 4)
        {
            keep = secret.Length / 4;
        }

        return secret.Substring(0, keep) + "…";
    }
}
