using System;
using System.Text.Json;

namespace HotDash.Compliance.Testing;

/// <summary>The reference verdict for JSON text: does System.Text.Json's JsonDocument accept it?</summary>
internal static class SystemTextJson
{
    public static bool Accepts(string json)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: text that cannot be transcoded to UTF-8 (a lone surrogate).
            return false;
        }
    }
}
