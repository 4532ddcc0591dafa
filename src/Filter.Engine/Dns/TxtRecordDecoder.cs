using System.Runtime.InteropServices;
using System.Text;
using DnsClient.Protocol;

namespace Filter.Engine.Dns;

/// <summary>
/// Turns a TXT record as DnsClient.NET parsed it into our one string: the octets of all its
/// character-strings joined with no separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2), then read as
/// UTF-8 with invalid sequences as U+FFFD.
/// </summary>
/// <remarks>
/// DnsClient does not expose the raw octets. It gives, per character-string, <c>Text</c> (that
/// string's octets decoded as UTF-8 on their own) and <c>EscapedText</c> (presentation form: octets
/// outside 32..126 as <c>\DDD</c>, <c>"</c> as <c>\"</c>, but a backslash octet left bare, so
/// <c>\200</c> is ambiguous). Neither may be used as it is: <c>EscapedText</c> leaks escapes, and
/// joining <c>Text</c> breaks a multi-octet character that a zone file split across two strings
/// (255-octet chunks are cut blindly). So the octets are rebuilt:
/// <list type="bullet">
/// <item>a string whose <c>Text</c> has no U+FFFD was valid UTF-8, and re-encoding it gives back its
/// exact octets;</item>
/// <item>otherwise the octets are read from <c>EscapedText</c>, each ambiguous <c>\DDD</c> settled
/// by a search for the reading whose UTF-8 decoding is exactly <c>Text</c> (ASCII octets always
/// decode to themselves, which prunes the search; a step budget bounds it, after which every
/// <c>\DDD</c> is read as an escape).</item>
/// </list>
/// </remarks>
internal static class TxtRecordDecoder
{
    private const char Replacement = '\uFFFD';

    /// <summary>Bounds the search for one character-string (at most 255 octets, so rarely more than a few hundred steps).</summary>
    private const int SearchBudget = 100_000;

    public static string Join(TxtRecord record) => Join(record.Text, record.EscapedText);

    internal static string Join(ICollection<string> text, ICollection<string> escaped)
    {
        var allValid = true;
        foreach (var part in text)
        {
            if (part.Contains(Replacement, StringComparison.Ordinal))
            {
                allValid = false;
                break;
            }
        }

        if (allValid)
        {
            // Valid UTF-8 strings concatenate to valid UTF-8 that decodes to the concatenation.
            return string.Concat(text);
        }

        var octets = new List<byte>(512);
        using var textParts = text.GetEnumerator();
        using var escapedParts = escaped.GetEnumerator();
        while (textParts.MoveNext() && escapedParts.MoveNext())
        {
            AppendOctets(textParts.Current, escapedParts.Current, octets);
        }

        return Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(octets));
    }

    private static void AppendOctets(string text, string escaped, List<byte> octets)
    {
        if (!text.Contains(Replacement, StringComparison.Ordinal))
        {
            octets.AddRange(Encoding.UTF8.GetBytes(text));
            return;
        }

        var ascii = new List<char>(text.Length);
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                ascii.Add(c);
            }
        }

        var start = octets.Count;
        var search = new Search(escaped, ascii, text, octets, start);
        if (!search.Run())
        {
            octets.RemoveRange(start, octets.Count - start);
            UnescapeAll(escaped, octets);
        }
    }

    /// <summary>The fallback reading: every <c>\DDD</c> (DDD at most 255) is one octet, <c>\"</c> is a quote.</summary>
    private static void UnescapeAll(string escaped, List<byte> octets)
    {
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && TryEscape(escaped, i, out var value, out var length))
            {
                octets.Add(value);
                i += length - 1;
            }
            else
            {
                octets.Add((byte)escaped[i]);
            }
        }
    }

    /// <summary>Reads <c>\"</c> or <c>\DDD</c> (DDD at most 255) at <paramref name="index"/>.</summary>
    private static bool TryEscape(string escaped, int index, out byte value, out int length)
    {
        value = 0;
        length = 0;
        if (index + 1 < escaped.Length && escaped[index + 1] == '"')
        {
            value = (byte)'"';
            length = 2;
            return true;
        }

        if (index + 3 >= escaped.Length)
        {
            return false;
        }

        var d1 = escaped[index + 1] - '0';
        var d2 = escaped[index + 2] - '0';
        var d3 = escaped[index + 3] - '0';
        if ((uint)d1 > 9 || (uint)d2 > 9 || (uint)d3 > 9)
        {
            return false;
        }

        var number = (d1 * 100) + (d2 * 10) + d3;
        if (number > 255)
        {
            return false;
        }

        value = (byte)number;
        length = 4;
        return true;
    }

    /// <summary>Depth-first search over the readings of one escaped character-string.</summary>
    private sealed class Search(string escaped, List<char> ascii, string text, List<byte> octets, int start)
    {
        private int _budget = SearchBudget;

        public bool Run() => Step(0, 0);

        private bool Step(int index, int asciiIndex)
        {
            if (--_budget < 0)
            {
                return false;
            }

            if (index == escaped.Length)
            {
                return asciiIndex == ascii.Count
                    && Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(octets)[start..]).Equals(text, StringComparison.Ordinal);
            }

            var c = escaped[index];
            if (c != '\\')
            {
                return TryOctet((byte)c, index + 1, asciiIndex);
            }

            if (TryEscape(escaped, index, out var value, out var length) && TryOctet(value, index + length, asciiIndex))
            {
                return true;
            }

            // A bare backslash octet (DnsClient does not escape it).
            return TryOctet((byte)'\\', index + 1, asciiIndex);
        }

        private bool TryOctet(byte value, int nextIndex, int asciiIndex)
        {
            if (value < 0x80)
            {
                // An ASCII octet decodes to itself: it must be the next ASCII character of the text.
                if (asciiIndex >= ascii.Count || ascii[asciiIndex] != (char)value)
                {
                    return false;
                }

                asciiIndex++;
            }

            octets.Add(value);
            if (Step(nextIndex, asciiIndex))
            {
                return true;
            }

            octets.RemoveAt(octets.Count - 1);
            return false;
        }
    }
}
