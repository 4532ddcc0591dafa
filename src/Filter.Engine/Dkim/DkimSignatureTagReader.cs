using System.Buffers;
using System.Text;

namespace Filter.Engine.Dkim;

/// <summary>
/// The tag-list of a DKIM-Signature (RFC 6376 §3.2) read straight from the field's bytes, without a
/// string copy of the field: the grammar and the error texts are those of <see cref="DkimTagListParser"/>
/// (which key records still use), and a test holds the two to the same answers byte for byte.
/// <code>
/// tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
/// tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
/// tag-name  =  ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
/// tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
/// tval      =  1*VALCHAR                   ; VALCHAR = %x21-3A / %x3C-7E
/// </code>
/// Every byte of a value is therefore ASCII; a NUL or an 8-bit byte anywhere in a value is an error.
/// </summary>
internal static class DkimSignatureTagReader
{
    /// <summary>How many tags <see cref="DkimSignatureTag"/> names: the size of the table <see cref="Read"/> fills.</summary>
    public const int KnownTagCount = (int)DkimSignatureTag.CopiedHeaders + 1;

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>
    /// Fills <paramref name="tags"/> (indexed by <see cref="DkimSignatureTag"/>, cleared first) with the
    /// known tags' ranges; unknown tags are checked and skipped. Null, or the first syntax error with its position.
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> text, Span<DkimTagRange> tags)
    {
        tags.Clear();

        // §3.2: "Tags with duplicate names MUST NOT occur", unknown ones included; those are rare, so
        // their names are kept in a set made only when one shows up (a pairwise check would be
        // quadratic in a hostile field of thousands of tags).
        HashSet<string>? unknown = null;
        var position = 0;
        while (true)
        {
            position = SkipWhitespace(text, position);
            if (position == text.Length)
            {
                return null;
            }

            var nameStart = position;
            if (!char.IsAsciiLetter((char)text[position]))
            {
                return $"expected a tag name at position {position}";
            }

            while (position < text.Length && IsNameByte(text[position]))
            {
                position++;
            }

            var name = text[nameStart..position];
            position = SkipWhitespace(text, position);
            if (position == text.Length || text[position] != (byte)'=')
            {
                return $"tag '{Encoding.Latin1.GetString(name)}' has no '=' (position {position})";
            }

            position++;
            var valueStart = position;
            var semicolon = text[position..].IndexOf((byte)';');
            var end = semicolon < 0 ? text.Length : position + semicolon;

            // tag-value: VALCHARs (%x21-7E) with whitespace only between them; vector scans, since
            // b= and h= make up most of the field.
            var first = valueStart;
            var last = valueStart;
            var segment = text[valueStart..end];
            var lead = segment.IndexOfAnyExcept(Whitespace);
            if (lead >= 0)
            {
                var trail = segment.LastIndexOfAnyExcept(Whitespace);
                for (var k = lead; ;)
                {
                    var other = segment[k..(trail + 1)].IndexOfAnyExceptInRange((byte)'!', (byte)'~');
                    if (other < 0)
                    {
                        break;
                    }

                    k += other;
                    if (!IsWhitespace(segment[k]))
                    {
                        return $"tag '{Encoding.Latin1.GetString(name)}' has a character outside the allowed set at position {valueStart + k}";
                    }

                    k++;
                }

                first = valueStart + lead;
                last = valueStart + trail + 1;
            }

            var known = Lookup(name);
            if (known >= 0)
            {
                if (tags[known].IsPresent)
                {
                    return $"tag '{Encoding.Latin1.GetString(name)}' occurs twice";
                }

                tags[known] = new DkimTagRange(valueStart, end, first, last);
            }
            else if (!(unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(Encoding.Latin1.GetString(name)))
            {
                return $"tag '{Encoding.Latin1.GetString(name)}' occurs twice";
            }

            if (end == text.Length)
            {
                return null;
            }

            position = end + 1;
            if (SkipWhitespace(text, position) == text.Length)
            {
                return null;
            }
        }
    }

    /// <summary>WSP and the CR/LF of FWS (header folding keeps CRLF followed by WSP).</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>The table index of a tag name (case-sensitive, §3.2), or -1 for a tag this parser ignores.</summary>
    private static int Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 2)
        {
            return name[0] == (byte)'b' && name[1] == (byte)'h' ? (int)DkimSignatureTag.BodyHash : -1;
        }

        if (name.Length != 1)
        {
            return -1;
        }

        return name[0] switch
        {
            (byte)'v' => (int)DkimSignatureTag.Version,
            (byte)'a' => (int)DkimSignatureTag.Algorithm,
            (byte)'b' => (int)DkimSignatureTag.Signature,
            (byte)'c' => (int)DkimSignatureTag.Canonicalization,
            (byte)'d' => (int)DkimSignatureTag.Domain,
            (byte)'h' => (int)DkimSignatureTag.SignedHeaders,
            (byte)'i' => (int)DkimSignatureTag.Identity,
            (byte)'l' => (int)DkimSignatureTag.BodyLength,
            (byte)'q' => (int)DkimSignatureTag.QueryMethods,
            (byte)'s' => (int)DkimSignatureTag.Selector,
            (byte)'t' => (int)DkimSignatureTag.Timestamp,
            (byte)'x' => (int)DkimSignatureTag.Expiration,
            (byte)'z' => (int)DkimSignatureTag.CopiedHeaders,
            _ => -1,
        };
    }

    private static bool IsNameByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b == (byte)'_';

    private static int SkipWhitespace(ReadOnlySpan<byte> text, int position)
    {
        while (position < text.Length && IsWhitespace(text[position]))
        {
            position++;
        }

        return position;
    }
}
