using System.Buffers;
using System.Text;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Character classes and small lexical checks shared by the Authentication-Results parser,
/// formatter and ownership check (RFC 8601 §2.2, which borrows "value" from RFC 2045 §5.1,
/// "Keyword" from RFC 5321 §4.1.2, CFWS and quoted-string from RFC 5322 §3.2).
/// </summary>
internal static class AuthResultsSyntax
{
    // Vectorized sets for the whole-text checks the formatter runs on every value of every header
    // (issue 7: per-char loops here were the largest managed cost of writing our header).
    private static readonly SearchValues<char> TokenChars = AsciiWhere(IsTokenChar);

    // Non-ASCII chars are never CTLs, so the ASCII range holds every unsafe char.
    private static readonly SearchValues<char> UnsafeChars = AsciiWhere(static c => IsControl(c) && c != '\t');

    /// <summary>Longest keyword (method, result, ptype, property) we accept; no registered one comes close.</summary>
    public const int MaxKeywordLength = 64;

    /// <summary>
    /// Longest text (value, reason, comment) the formatter writes. Longer text is cut so that no
    /// unbreakable piece of a line can pass the RFC 5322 §2.1.1 limit of 998 octets even when every
    /// character needs a quoted-pair: 2 × 400 + quotes + two keywords stays under 998.
    /// No legitimate value comes near it (a mailbox is at most 64 + 1 + 255 octets).
    /// </summary>
    public const int MaxTextLength = 400;

    /// <summary>RFC 2045 §5.1 tspecials.</summary>
    public static bool IsTSpecial(char c) => c is '(' or ')' or '<' or '>' or '@' or ',' or ';' or ':'
        or '\\' or '"' or '/' or '[' or ']' or '?' or '=';

    /// <summary>RFC 2045 §5.1 token character: US-ASCII, not SPACE, not a CTL, not a tspecial.</summary>
    public static bool IsTokenChar(char c) => c > ' ' && c < 0x7F && !IsTSpecial(c);

    /// <summary>RFC 5234 CTL (0x00-0x1F, 0x7F).</summary>
    public static bool IsControl(char c) => c < ' ' || c == 0x7F;

    public static bool IsWsp(char c) => c is ' ' or '\t';

    public static bool IsLetDig(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    public static bool IsKeywordChar(char c) => IsLetDig(c) || c == '-';

    /// <summary>RFC 5322 §3.2.3 atext.</summary>
    public static bool IsAText(char c) => IsLetDig(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*'
        or '+' or '-' or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~';

    /// <summary>A whole RFC 2045 token (non-empty).</summary>
    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    /// <summary>RFC 5321 §4.1.2 Keyword = Ldh-str: letters, digits and hyphens, ending in a letter or digit.</summary>
    public static bool IsKeyword(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > MaxKeywordLength || !IsLetDig(text[^1]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsKeywordChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 5322 §3.2.3 dot-atom-text.</summary>
    public static bool IsDotAtomText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] == '.' || text[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (text[i - 1] == '.')
                {
                    return false;
                }
            }
            else if (!IsAText(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// RFC 6376 §3.5 domain-name as RFC 8601 §2.2 uses it in pvalue: sub-domain 1*("." sub-domain),
    /// each sub-domain Let-dig [Ldh-str] (at least two labels).
    /// </summary>
    public static bool IsDomainName(ReadOnlySpan<char> text)
    {
        var labels = 0;
        while (true)
        {
            var dot = text.IndexOf('.');
            var label = dot < 0 ? text : text[..dot];
            if (label.IsEmpty || !IsLetDig(label[0]) || !IsLetDig(label[^1]))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!IsKeywordChar(c))
                {
                    return false;
                }
            }

            labels++;
            if (dot < 0)
            {
                return labels >= 2;
            }

            text = text[(dot + 1)..];
        }
    }

    /// <summary>
    /// RFC 5322 §3.2.4 quoted-string, as a whole: DQUOTE *(qtext / quoted-pair / WSP) DQUOTE, with
    /// RFC 6532 UTF-8 allowed in qtext. Used to accept a quoted local-part in a pvalue.
    /// </summary>
    public static bool IsQuotedString(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return false;
        }

        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length - 1 || IsControl(text[i + 1]) && text[i + 1] != '\t')
                {
                    return false;
                }

                i++;
            }
            else if (c == '"' || IsControl(c) && c != '\t')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="text"/> may be written unquoted as the RFC 8601 §2.2 pvalue
    /// alternative <c>[ [ local-part ] "@" ] domain-name</c>: "@example.com", "user@example.com",
    /// "\"a b\"@example.com". §2.3 allows this so that addresses need no quoting.
    /// </summary>
    public static bool IsAddressPValue(ReadOnlySpan<char> text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0 || !IsDomainName(text[(at + 1)..]))
        {
            return false;
        }

        var local = text[..at];
        return local.IsEmpty || IsDotAtomText(local) || IsQuotedString(local);
    }

    /// <summary>
    /// True when the text can be carried in a header: no CTL other than HTAB (so no CR, LF or NUL
    /// that could end the field or inject another one).
    /// </summary>
    public static bool IsSafeText(ReadOnlySpan<char> text) => !text.ContainsAny(UnsafeChars);

    /// <summary>
    /// Makes untrusted text (a DKIM i= tag, an SPF explanation) safe to write: every CTL except HTAB
    /// becomes '?', and text longer than <see cref="MaxTextLength"/> is cut (not inside a surrogate pair).
    /// Returns the same instance when nothing had to change.
    /// </summary>
    public static string Sanitize(string text)
    {
        var cut = text.Length > MaxTextLength;
        if (!cut && IsSafeText(text))
        {
            return text;
        }

        var length = cut ? MaxTextLength : text.Length;
        if (cut && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Create(length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = IsControl(c) && c != '\t' ? '?' : c;
            }
        });
    }

    /// <summary>Octets this text takes in UTF-8 (RFC 6532), for the RFC 5322 line limits.</summary>
    public static int Utf8Length(ReadOnlySpan<char> text)
    {
        if (Ascii.IsValid(text))
        {
            return text.Length; // the usual case, one octet per char
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                count++;
            }
            else if (c < 0x800)
            {
                count += 2;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                count += 4;
                i++;
            }
            else
            {
                count += 3;
            }
        }

        return count;
    }

    private static SearchValues<char> AsciiWhere(Func<char, bool> predicate)
    {
        var chars = new List<char>(128);
        for (var c = '\0'; c < (char)0x80; c++)
        {
            if (predicate(c))
            {
                chars.Add(c);
            }
        }

        return SearchValues.Create([.. chars]);
    }

    /// <summary>ASCII lower-casing of a keyword (keywords are ASCII by construction).</summary>
    public static string ToLowerAscii(ReadOnlySpan<char> keyword)
    {
        return string.Create(keyword.Length, keyword, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
    }
}
