namespace HotDash.Compliance.Analyzers.Secrets;

/// <summary>Shortens a secret for messages: enough to find it, never enough to use it.</summary>
internal static class SecretMask
{
    public static string Mask(string secret)
    {
        // Keep a recognisable prefix such as "shpat_" plus four characters.
        var underscore = secret.IndexOf('_');
        var keep = underscore is > 0 and < 12 ? underscore + 1 + 4 : 4;
        if (keep >= secret.Length - 4)
        {
            keep = secret.Length / 4;
        }

        return secret.Substring(0, keep) + "…";
    }
}
