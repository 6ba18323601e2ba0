using System.Text.RegularExpressions;

namespace HotDash.Compliance.Secrets;

/// <summary>Every match of a rules-declared pattern, or none when it times out: a pattern never throws at a caller.</summary>
internal static class SafeMatches
{
    public static MatchCollection Of(Regex regex, string text)
    {
        try
        {
            var matches = regex.Matches(text);
            _ = matches.Count; // forces evaluation inside the try, where a timeout is caught
            return matches;
        }
        catch (RegexMatchTimeoutException)
        {
            return Regex.Matches(string.Empty, "x");
        }
    }
}
