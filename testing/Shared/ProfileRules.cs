namespace HotDash.Compliance.Testing;

/// <summary>Rules files the strict-mode tests use: the canonical rules with one provider profile selected.</summary>
internal static class ProfileRules
{
    public static string Selecting(string profile) =>
        $$"""{ "version": 1, "extends": "hotdash:canonical", "structuredOutputs": { "profile": "{{profile}}" } }""";
}
