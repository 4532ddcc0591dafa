using System.Text;

namespace Filter.Engine.Dns;

/// <summary>
/// Reads a domain name as written in a master file (RFC 1035 §5.1): <c>@</c> is the origin, a name
/// ending in an unescaped dot is absolute, any other is relative to the origin. Checks the RFC 1035
/// §2.3.4 limits: labels of 1 to 63 octets, at most 255 octets on the wire.
/// </summary>
internal static class ZoneNameParser
{
    private const int MaxLabelOctets = 63;
    private const int MaxNameOctets = 255;

    /// <summary>
    /// Parses <paramref name="raw"/> (the source bytes, escapes still in place). Returns null and the
    /// absolute name without its trailing dot, lower-cased ("" for the root); or an error message.
    /// </summary>
    public static string? TryParse(ReadOnlySpan<byte> raw, string? origin, out string name)
    {
        name = "";
        if (raw.Length == 1 && raw[0] == (byte)'@')
        {
            if (origin is null)
            {
                return "'@' needs an origin: add a $ORIGIN line before it";
            }

            name = origin;
            return null;
        }

        if (raw.Length == 1 && raw[0] == (byte)'.')
        {
            return null;
        }

        var text = new StringBuilder(raw.Length + (origin?.Length ?? 0) + 1);
        Span<byte> label = stackalloc byte[MaxLabelOctets + 1];
        var labelLength = 0;
        var wireLength = 1;
        var absolute = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'.')
            {
                if (labelLength == 0)
                {
                    return "empty label: a name has no '..' and does not start with '.'";
                }

                wireLength += AppendLabel(text, label[..labelLength]);
                labelLength = 0;
                if (i == raw.Length - 1)
                {
                    absolute = true;
                }

                continue;
            }

            if (b == (byte)'\\')
            {
                if (TryUnescape(raw, ref i, out b) is { } escapeError)
                {
                    return escapeError;
                }

                if (b == (byte)'.')
                {
                    // DnsZone keeps names as dotted text, where such a label cannot be told apart.
                    return "an escaped '.' inside a label is not supported";
                }
            }

            if (labelLength == MaxLabelOctets)
            {
                return $"a label is longer than {MaxLabelOctets} octets (RFC 1035 §2.3.4)";
            }

            label[labelLength++] = b;
        }

        if (!absolute)
        {
            wireLength += AppendLabel(text, label[..labelLength]);
            if (origin is null)
            {
                return $"relative name '{ZoneText.Decode(raw)}' needs an origin: end it with '.' or add a $ORIGIN line before it";
            }

            if (origin.Length > 0)
            {
                text.Append('.').Append(origin);
                wireLength += ZoneText.Encode(origin).Length + 1;
            }
        }

        if (wireLength > MaxNameOctets)
        {
            return $"the name is longer than {MaxNameOctets} octets (RFC 1035 §2.3.4)";
        }

        name = text.ToString().ToLowerInvariant();
        return null;
    }

    private static int AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        if (text.Length > 0)
        {
            text.Append('.');
        }

        text.Append(ZoneText.Decode(label));
        return label.Length + 1;
    }

    private static string? TryUnescape(ReadOnlySpan<byte> raw, ref int i, out byte value)
    {
        value = 0;
        if (i + 1 >= raw.Length)
        {
            return "'\\' at the end of a name: expected a character or three digits (\\DDD) after it";
        }

        if (!char.IsAsciiDigit((char)raw[i + 1]))
        {
            value = raw[i + 1];
            i++;
            return null;
        }

        if (i + 3 >= raw.Length || !char.IsAsciiDigit((char)raw[i + 2]) || !char.IsAsciiDigit((char)raw[i + 3]))
        {
            return "expected three decimal digits after '\\' (\\DDD)";
        }

        var number = ((raw[i + 1] - '0') * 100) + ((raw[i + 2] - '0') * 10) + (raw[i + 3] - '0');
        if (number > 255)
        {
            return $"\\{number} is not an octet: \\DDD must be 255 or less";
        }

        value = (byte)number;
        i += 3;
        return null;
    }
}
