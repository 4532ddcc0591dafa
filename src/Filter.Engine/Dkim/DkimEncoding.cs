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
    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

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

    /// <summary>Decodes base64 with FWS anywhere in it (RFC 6376 §2.4); null when the text is not base64.</summary>
    public static byte[]? DecodeBase64(ReadOnlySpan<char> value)
    {
        // Convert skips exactly the characters FWS can leave here (SP, TAB, CR, LF), so no copy is needed.
        const int StackLimit = 512;
        var length = (value.Length / 4 * 3) + 3;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return Convert.TryFromBase64Chars(value, buffer, out var written) ? buffer[..written].ToArray() : null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The base64 text with whitespace removed (the b= form that header.b prefixes); the same string when it has none.</summary>
    public static string StripWhitespace(string value)
    {
        var rest = value.AsSpan();
        var next = rest.IndexOfAny(Whitespace);
        if (next < 0)
        {
            return value;
        }

        var kept = value.Length - value.AsSpan().Count(' ') - value.AsSpan().Count('\t') - value.AsSpan().Count('\r') - value.AsSpan().Count('\n');
        return string.Create(kept, value, static (destination, source) =>
        {
            var rest = source.AsSpan();
            var written = 0;
            for (var next = rest.IndexOfAny(Whitespace); next >= 0; next = rest.IndexOfAny(Whitespace))
            {
                rest[..next].CopyTo(destination[written..]);
                written += next;
                rest = rest[(next + 1)..];
            }

            rest.CopyTo(destination[written..]);
        });
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
