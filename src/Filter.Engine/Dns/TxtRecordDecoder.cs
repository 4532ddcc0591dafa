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
/// by aligning it with <c>Text</c> (see <see cref="Alignment"/>), so that the octets decode to
/// exactly <c>Text</c>.</item>
/// </list>
/// </remarks>
internal static class TxtRecordDecoder
{
    private const char Replacement = '\uFFFD';

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

        var start = octets.Count;
        if (!new Alignment(text, escaped, octets).Run())
        {
            // Not reachable with what DnsClient produces (the alignment always exists); kept so that a
            // change in DnsClient degrades to a plain reading instead of an exception.
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

    /// <summary>
    /// Aligns the escaped form with the decoded text. An ASCII octet always decodes to itself and a
    /// non-ASCII octet never decodes to ASCII, and an ASCII octet ends any unfinished UTF-8 sequence;
    /// so the text is runs of non-ASCII characters N0 c1 N1 ... ck Nk around its ASCII characters ci,
    /// the octets are B0 c1 B1 ... ck Bk with every Bi made of octets 128..255 and decoding to Ni, and
    /// the escaped form is R0 esc(c1) R1 ... esc(ck) Rk with each Ri a run of <c>\DDD</c> (128..255).
    /// Only where each Ri ends is open; a memo of failed (position, i) states makes the search
    /// polynomial (at most 1021 × 256 states for a 255-octet string).
    /// </summary>
    private sealed class Alignment
    {
        private readonly string _escaped;
        private readonly List<byte> _octets;
        private readonly List<char> _ascii = [];
        private readonly List<string> _runs = [];
        private readonly HashSet<(int Position, int Index)> _failed = [];
        private char[]? _decoded;

        public Alignment(string text, string escaped, List<byte> octets)
        {
            _escaped = escaped;
            _octets = octets;
            var run = new StringBuilder();
            foreach (var c in text)
            {
                if (c < 0x80)
                {
                    _runs.Add(run.ToString());
                    run.Clear();
                    _ascii.Add(c);
                }
                else
                {
                    run.Append(c);
                }
            }

            _runs.Add(run.ToString());
        }

        public bool Run() => Step(0, 0);

        /// <summary>Reads run Ri from <paramref name="position"/>, then ASCII character c(i+1), then on.</summary>
        private bool Step(int position, int index)
        {
            if (_failed.Contains((position, index)))
            {
                return false;
            }

            var runStart = _octets.Count;
            var end = position;
            // Each UTF-16 unit of Ni comes from at most 3 octets (a U+FFFD stands for at most 3, a
            // surrogate pair for 4): a longer run cannot decode to Ni. This bound keeps a hostile
            // string of ambiguous escapes linear.
            var maxRun = 3 * _runs[index].Length;
            while (true)
            {
                // The cheap test first: does the next ASCII character's escaped form start here?
                if (NextMatches(end, index, out var nextLength)
                    && RunDecodesTo(runStart, _runs[index])
                    && Continue(end, index, nextLength))
                {
                    return true;
                }

                // Take one more high-octet escape into the run, if there is one.
                if (_octets.Count - runStart >= maxRun
                    || !TryEscape(_escaped, end, out var value, out var length) || value < 0x80 || length != 4)
                {
                    break;
                }

                _octets.Add(value);
                end += length;
            }

            _octets.RemoveRange(runStart, _octets.Count - runStart);
            _failed.Add((position, index));
            return false;
        }

        /// <summary>
        /// At <paramref name="position"/>, after run Ri: the end of the string when i = k, else the
        /// escaped form of c(i+1), whose length is returned.
        /// </summary>
        private bool NextMatches(int position, int index, out int length)
        {
            length = 0;
            if (index == _ascii.Count)
            {
                return position == _escaped.Length;
            }

            var c = _ascii[index];
            if (c is >= ' ' and <= '~' and not '"')
            {
                length = 1;
                return position < _escaped.Length && _escaped[position] == c;
            }

            // DnsClient writes '"' as \" and other octets outside 32..126 as \DDD.
            length = c == '"' ? 2 : 4;
            return TryEscape(_escaped, position, out var value, out var escapeLength) && escapeLength == length && value == c;
        }

        /// <summary>Takes c(i+1) (already matched) and goes on with run R(i+1).</summary>
        private bool Continue(int position, int index, int length)
        {
            if (index == _ascii.Count)
            {
                return true;
            }

            _octets.Add((byte)_ascii[index]);
            if (Step(position + length, index + 1))
            {
                return true;
            }

            _octets.RemoveAt(_octets.Count - 1);
            return false;
        }

        private bool RunDecodesTo(int runStart, string expected)
        {
            var run = CollectionsMarshal.AsSpan(_octets)[runStart..];
            if (run.Length == 0 || expected.Length == 0)
            {
                return run.Length == expected.Length;
            }

            if (Encoding.UTF8.GetCharCount(run) != expected.Length)
            {
                return false;
            }

            _decoded ??= new char[_escaped.Length];
            var written = Encoding.UTF8.GetChars(run, _decoded);
            return _decoded.AsSpan(0, written).SequenceEqual(expected);
        }
    }
}
