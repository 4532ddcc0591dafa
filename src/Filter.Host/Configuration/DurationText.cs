using System.Globalization;

namespace Filter.Host.Configuration;

/// <summary>
/// Durations as admins write them in the policy file: a whole number and a unit, <c>500ms</c>,
/// <c>2s</c>, <c>5m</c>, <c>1h</c>. A bare number is refused, because "timeout: 2" is ambiguous.
/// </summary>
internal static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var split = 0;
        while (split < text.Length && char.IsAsciiDigit(text[split]))
        {
            split++;
        }

        if (split == 0 || split > 9
            || !long.TryParse(text.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        switch (text[split..])
        {
            case "ms":
                value = TimeSpan.FromMilliseconds(number);
                return true;
            case "s":
                value = TimeSpan.FromSeconds(number);
                return true;
            case "m":
                value = TimeSpan.FromMinutes(number);
                return true;
            case "h":
                value = TimeSpan.FromHours(number);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The shortest exact form: <c>1500ms</c>, <c>2s</c>, <c>5m</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        if (ms == 0)
        {
            return "0s";
        }

        if (ms % 3_600_000 == 0)
        {
            return (ms / 3_600_000).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (ms % 60_000 == 0)
        {
            return (ms / 60_000).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
