using System;
using System.Collections.Generic;

namespace HotDash.Compliance.Testing;

/// <summary>Seeded mutations: truncation, and deletions, duplications and replacements of characters and runs.</summary>
internal static class Mutations
{
    private const string Interesting = "{}[]\"\\:,;()<>=\n\r\t $@u8/*#'0-.e";

    public static string Mutate(string text, Random random)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var chars = new List<char>(text);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && chars.Count > 0; e++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(7))
            {
                case 0:
                    chars.RemoveRange(at, chars.Count - at); // truncate
                    break;
                case 1:
                    chars.RemoveRange(at, Math.Min(random.Next(1, 12), chars.Count - at));
                    break;
                case 2:
                    chars.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3:
                    chars[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 4:
                    var length = Math.Min(random.Next(1, 20), chars.Count - at);
                    chars.InsertRange(random.Next(chars.Count), chars.GetRange(at, length));
                    break;
                case 5:
                    chars[at] = (char)random.Next(1, 0x2FFF);
                    break;
                default:
                    // A lone surrogate: what a string can hold and UTF-8 cannot.
                    chars[at] = (char)random.Next(0xD800, 0xE000);
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
