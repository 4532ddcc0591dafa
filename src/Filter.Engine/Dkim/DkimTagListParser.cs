using System.Buffers;

namespace Filter.Engine.Dkim;

/// <summary>
/// Strict parser of the DKIM tag=value list shared by DKIM-Signature fields and key records
/// (RFC 6376 §3.2):
/// <code>
/// tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
/// tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
/// tag-name  =  ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
/// tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
/// tval      =  1*VALCHAR                   ; VALCHAR = %x21-3A / %x3C-7E
/// </code>
/// A duplicate tag name is an error (§3.2: "Tags with duplicate names MUST NOT occur").
/// </summary>
internal static class DkimTagListParser
{
    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n");

    public static DkimTagList Parse(string text)
    {
        var tags = new List<DkimTag>();
        var position = 0;
        while (true)
        {
            position = SkipWhitespace(text, position);
            if (position == text.Length)
            {
                // An empty list: the caller reports the missing required tags.
                return DkimTagList.Success(tags);
            }

            var nameStart = position;
            if (!char.IsAsciiLetter(text[position]))
            {
                return DkimTagList.Failure($"expected a tag name at position {position}");
            }

            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }

            var name = text[nameStart..position];
            position = SkipWhitespace(text, position);
            if (position == text.Length || text[position] != '=')
            {
                return DkimTagList.Failure($"tag '{name}' has no '=' (position {position})");
            }

            position++;
            var valueStart = position;
            var end = text.IndexOf(';', position);
            if (end < 0)
            {
                end = text.Length;
            }

            // tag-value: VALCHARs (%x21-7E) with whitespace only between them; vector scans, since
            // b= and h= make up most of the field.
            var first = -1;
            var last = -1;
            var segment = text.AsSpan(valueStart, end - valueStart);
            var lead = segment.IndexOfAnyExcept(Whitespace);
            if (lead >= 0)
            {
                var trail = segment.LastIndexOfAnyExcept(Whitespace);
                for (var k = lead; ;)
                {
                    var other = segment[k..(trail + 1)].IndexOfAnyExceptInRange('!', '~');
                    if (other < 0)
                    {
                        break;
                    }

                    k += other;
                    if (!IsWhitespace(segment[k]))
                    {
                        return DkimTagList.Failure($"tag '{name}' has a character outside the allowed set at position {valueStart + k}");
                    }

                    k++;
                }

                first = valueStart + lead;
                last = valueStart + trail;
            }

            var value = first < 0 ? string.Empty : text[first..(last + 1)];
            foreach (var existing in tags)
            {
                if (string.Equals(existing.Name, name, StringComparison.Ordinal))
                {
                    return DkimTagList.Failure($"tag '{name}' occurs twice");
                }
            }

            tags.Add(new DkimTag(name, value, valueStart, end));
            if (end == text.Length)
            {
                return DkimTagList.Success(tags);
            }

            position = end + 1;
            var next = SkipWhitespace(text, position);
            if (next == text.Length)
            {
                return DkimTagList.Success(tags);
            }
        }
    }

    /// <summary>WSP and the CR/LF of FWS (header folding keeps CRLF followed by WSP).</summary>
    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static int SkipWhitespace(string text, int position)
    {
        while (position < text.Length && IsWhitespace(text[position]))
        {
            position++;
        }

        return position;
    }
}
