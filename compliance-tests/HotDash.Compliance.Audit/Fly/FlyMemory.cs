using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HotDash.Compliance.Audit.Fly;

/// <summary>
/// Fly.io memory values and machine size presets, as flyctl reads them: an integer or a plain integer
/// string is MB; otherwise a number with a binary unit, case-insensitive, optional "b"/"ib", decimals
/// allowed ("1gb", "1GB", "1G", "1GiB" = 1024 MB; "1.5gb" = 1536 MB). Zero or an unknown unit is rejected.
/// </summary>
public static partial class FlyMemory
{
    /// <summary>The preset flyctl starts from when a section names no size.</summary>
    public const string DefaultSize = "shared-cpu-1x";

    /// <summary>The preset flyctl starts from when a section sets gpu_kind but no size.</summary>
    public const string DefaultGpuSize = "performance-8x";

    /// <summary>Memory of each machine size preset, in MB (fly-go's presets).</summary>
    public static readonly IReadOnlyDictionary<string, int> Presets = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["shared-cpu-1x"] = 256,
        ["shared-cpu-2x"] = 512,
        ["shared-cpu-4x"] = 1024,
        ["shared-cpu-6x"] = 1536,
        ["shared-cpu-8x"] = 2048,
        ["performance-1x"] = 2048,
        ["performance-2x"] = 4096,
        ["performance-4x"] = 8192,
        ["performance-6x"] = 12288,
        ["performance-8x"] = 16384,
        ["performance-10x"] = 20480,
        ["performance-12x"] = 24576,
        ["performance-14x"] = 28672,
        ["performance-16x"] = 32768,
        ["a100-40gb"] = 32768,
        ["a100-80gb"] = 32768,
        ["l40s"] = 32768,
        ["a10"] = 32768,
    };

    /// <summary>Parses a memory value from fly.toml or the rules; the error says what was expected.</summary>
    public static bool TryParse(object? value, out int megabytes, out string error)
    {
        megabytes = 0;
        error = string.Empty;
        switch (value)
        {
            case long or int:
                var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (number <= 0 || number > int.MaxValue)
                {
                    error = $"memory must be a positive number of MB, not {number}";
                    return false;
                }

                megabytes = (int)number;
                return true;
            case string text:
                return TryParseText(text, out megabytes, out error);
            case null:
                error = "memory is missing";
                return false;
            default:
                error = $"memory must be an integer (MB) or a size string such as \"2gb\", not a {Describe(value)}";
                return false;
        }
    }

    public static string Describe(object value) => value switch
    {
        bool => "boolean",
        double => "float",
        System.Collections.IDictionary => "table", System.Collections.IEnumerable and not string => "array",
        _ => value.GetType().Name,
    };

    private static bool TryParseText(string text, out int megabytes, out string error)
    {
        megabytes = 0;
        var trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            return TryParse(plain, out megabytes, out error);
        }

        var match = SizePattern().Match(trimmed);
        if (!match.Success)
        {
            error = $"\"{text}\" is not a memory size flyctl accepts: use MB as an integer (2048) or a number with a unit (\"2gb\", \"512mb\", \"1.5GB\")";
            return false;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        var factor = char.ToLowerInvariant(match.Groups["unit"].Value[0]) switch
        {
            'k' => 1.0 / 1024,
            'm' => 1.0,
            'g' => 1024.0,
            _ => 1024.0 * 1024,
        };
        var value = amount * factor;
        if (value < 1)
        {
            error = $"\"{text}\" is less than 1 MB: memory must be positive";
            return false;
        }

        megabytes = (int)Math.Floor(value);
        error = string.Empty;
        return true;
    }

    [GeneratedRegex(@"^(?<amount>[0-9]+(\.[0-9]+)?) ?(?<unit>[kKmMgGtT])([iI]?[bB])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
