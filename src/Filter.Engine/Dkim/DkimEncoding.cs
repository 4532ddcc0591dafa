using System.Buffers;
using System.Text;

namespace Filter.Engine.Dkim;

/// <summary>
/// Decoding of the value forms DKIM uses: base64 with embedded FWS (RFC 6376 §2.4, b=, bh=, p=) and
/// dkim-quoted-printable (§2.11, i= and z=). Header bytes are carried as Latin-1 strings so that one
/// char is one byte; <see cref="ToUtf8"/> re-reads such a string as UTF-8 (RFC 6532 names).
/// </summary>
internal static class DkimEncoding
{
    public static string ToUtf8(string latin1)
    {
        foreach (var c in latin1)
        {
            if (c > 0x7F)
            {
                return Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(latin1));
            }
        }

        return latin1;
    }

    /// <summary>Strips whitespace, then decodes; null when the text is not base64.</summary>
    public static byte[]? DecodeBase64(string value)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, value.Length));
        try
        {
            var length = 0;
            foreach (var c in value)
            {
                if (!DkimTagListParser.IsWhitespace(c))
                {
                    buffer[length++] = c;
                }
            }

            var bytes = new byte[(length / 4 * 3) + 3];
            return Convert.TryFromBase64Chars(buffer.AsSpan(0, length), bytes, out var written)
                ? bytes.AsSpan(0, written).ToArray()
                : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The base64 text with whitespace removed (the b= form that header.b prefixes).</summary>
    public static string StripWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!DkimTagListParser.IsWhitespace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes dkim-quoted-printable (=XX hex pairs; whitespace is ignored); null when malformed.</summary>
    public static string? DecodeQuotedPrintable(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (DkimTagListParser.IsWhitespace(c))
            {
                continue;
            }

            if (c == '=')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    return null;
                }

                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }

            bytes.Add((byte)c);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
