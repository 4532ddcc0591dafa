namespace Filter.Engine.Dns;

/// <summary>Numbers in master files: TTLs (with BIND's unit letters) and unsigned RDATA fields.</summary>
internal static class ZoneNumbers
{
    /// <summary>RFC 2181 §8: a TTL is 0 to 2^31 - 1 seconds.</summary>
    public const uint MaxTtl = int.MaxValue;

    /// <summary>
    /// Reads a TTL: decimal seconds, or BIND's <c>1w2d3h4m5s</c> form (units case-insensitive, a
    /// last number without a unit is seconds). Returns null or an error message.
    /// </summary>
    public static string? TryParseTtl(string text, out uint ttl)
    {
        ttl = 0;
        ulong total = 0;
        ulong number = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (ulong)(c - '0');
                digits++;
                if (number > MaxTtl)
                {
                    return TtlError(text);
                }

                continue;
            }

            ulong unit = char.ToLowerInvariant(c) switch
            {
                'w' => 604800,
                'd' => 86400,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => 0,
            };
            if (unit == 0 || digits == 0)
            {
                return TtlError(text);
            }

            total += number * unit;
            number = 0;
            digits = 0;
            if (total > MaxTtl)
            {
                return TtlError(text);
            }
        }

        if (text.Length == 0 || (digits == 0 && !char.IsAsciiLetter(text[^1])))
        {
            return TtlError(text);
        }

        total += number;
        if (total > MaxTtl)
        {
            return TtlError(text);
        }

        ttl = (uint)total;
        return null;
    }

    /// <summary>A decimal number from 0 to <paramref name="max"/>, digits only.</summary>
    public static bool TryParseUnsigned(string text, uint max, out uint value)
    {
        value = 0;
        if (text.Length is 0 or > 10)
        {
            return false;
        }

        ulong number = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (ulong)(c - '0');
        }

        if (number > max)
        {
            return false;
        }

        value = (uint)number;
        return true;
    }

    private static string TtlError(string text) =>
        $"'{text}' is not a TTL: expected seconds from 0 to {MaxTtl} (RFC 2181 §8), or units such as 1h30m";
}
