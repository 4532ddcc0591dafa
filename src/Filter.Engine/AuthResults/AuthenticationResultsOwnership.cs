using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Decides, for each Authentication-Results header already in a message, whether it claims our
/// authserv-id and so must be removed (RFC 8601 §5: an MTA MUST remove such headers that arrive
/// from outside, since they would otherwise be trusted as ours), and reads headers of trusted
/// authserv-ids as input.
/// </summary>
/// <remarks>
/// <para>The check does not depend on the header parsing. A header whose id is ours is removed even
/// when the rest is garbage: OpenDKIM kept forged headers it could not parse (CVE-2020-12272), and a
/// lenient consumer downstream may still read them. Recognised as ours, ids compared without
/// regard to ASCII case and a trailing root dot:</para>
/// <list type="bullet">
/// <item>after any leading CFWS: white space, folding, nested comments, and also stray control
/// characters, Unicode spaces, zero-width characters and a byte-order mark ("odd whitespace");</item>
/// <item>the id as an RFC 2045 token, ended by anything that is not a token character (';', '/',
/// white space, a comment, '=' or garbage), with or without a version after it;</item>
/// <item>the id as a quoted-string (RFC 8601 §2.2 allows that), or an unterminated quoted string
/// that starts with the id;</item>
/// <item>the id split by comments ("mx(x).example.com"), which a consumer that strips comments
/// before splitting would read as the id.</item>
/// </list>
/// <para>A different token ("mx.example.com.evil", "evil-mx.example.com") is someone else's and
/// is left alone, as is a header whose first token is another id even if ours appears later.</para>
/// </remarks>
internal sealed class AuthenticationResultsOwnership
{
    private static readonly SearchValues<char> s_zeroWidth = SearchValues.Create("\u200B\u200C\u200D\u2060\uFEFF");

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _ours;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _trusted;

    /// <summary>
    /// Our authserv-id, other names that also mean us (an old host name, a cluster name), and the
    /// authserv-ids of servers before us whose results we may read (an inbound gateway).
    /// </summary>
    public AuthenticationResultsOwnership(string ourAuthServId, IEnumerable<string>? aliases = null, IEnumerable<string>? trusted = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ourAuthServId);
        OurAuthServId = ourAuthServId;
        _ours = Build([ourAuthServId, .. aliases ?? []]).GetAlternateLookup<ReadOnlySpan<char>>();
        _trusted = Build(trusted ?? []).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Our authserv-id.</summary>
    public string OurAuthServId { get; }

    /// <summary>Classifies one header value (the text after "Authentication-Results:"). Never throws.</summary>
    public AuthResultsClassification Classify(ReadOnlySpan<char> value)
    {
        var position = SkipLeading(value);
        if (position < 0)
        {
            return new AuthResultsClassification(AuthResultsClaim.NoAuthServId, null, "only comments and white space before an unterminated comment");
        }

        if (position >= value.Length)
        {
            return new AuthResultsClassification(AuthResultsClaim.NoAuthServId, null, "empty value");
        }

        if (value[position] == '"')
        {
            return ClassifyQuoted(value[(position + 1)..]);
        }

        var rest = value[position..];
        var tokenLength = 0;
        while (tokenLength < rest.Length && AuthResultsSyntax.IsTokenChar(rest[tokenLength]))
        {
            tokenLength++;
        }

        var token = rest[..tokenLength];
        if (token.IsEmpty)
        {
            return new AuthResultsClassification(AuthResultsClaim.NoAuthServId, null, $"starts with '{rest[0]}', not an authserv-id");
        }

        if (IsIn(_ours, token))
        {
            return Ours(token, tokenLength == rest.Length || rest[tokenLength] == ';' || IsSeparator(rest[tokenLength])
                ? "names our authserv-id"
                : "starts with our authserv-id followed by garbage");
        }

        if (tokenLength < rest.Length && rest[tokenLength] == '(')
        {
            var joined = JoinAcrossComments(rest);
            if (joined is not null && IsIn(_ours, joined))
            {
                return Ours(joined, "names our authserv-id split by comments");
            }
        }

        if (IsIn(_trusted, token))
        {
            return new AuthResultsClassification(AuthResultsClaim.Trusted, token.ToString(), "names a trusted authserv-id");
        }

        return LooksLikeMethod(rest, tokenLength)
            ? new AuthResultsClassification(AuthResultsClaim.NoAuthServId, null, "starts with a method, no authserv-id")
            : new AuthResultsClassification(AuthResultsClaim.Foreign, token.ToString(), "names another authserv-id");
    }

    /// <summary>Classifies one header value given as a string.</summary>
    public AuthResultsClassification Classify(string value) => Classify(value.AsSpan());

    /// <summary>
    /// Parses the header when it comes from a trusted authserv-id; null when it does not (ours,
    /// foreign or id-less headers are never input). The result may be a parse failure.
    /// </summary>
    public AuthenticationResultsParseResult? ReadTrusted(string value)
    {
        if (Classify(value).Claim != AuthResultsClaim.Trusted)
        {
            return null;
        }

        var parsed = AuthenticationResultsParser.Parse(value);
        // The quick look and the parser agree on the id for every well-formed header; if they ever
        // did not, the parser's reading is the one a consumer acts on, so it must be trusted too.
        return parsed.IsSuccess && !IsIn(_trusted, parsed.Header.AuthServId.AsSpan())
            ? AuthenticationResultsParseResult.Failure(0, "authserv-id as parsed is not trusted")
            : parsed;
    }

    private AuthResultsClassification ClassifyQuoted(ReadOnlySpan<char> afterQuote)
    {
        // RFC 8601 §2.2: authserv-id = value, so "mx.example.com" in quotes is the same id.
        var builder = new StringBuilder();
        var closed = false;
        for (var i = 0; i < afterQuote.Length; i++)
        {
            var c = afterQuote[i];
            if (c == '\\' && i + 1 < afterQuote.Length)
            {
                builder.Append(afterQuote[++i]);
            }
            else if (c == '"')
            {
                closed = true;
                break;
            }
            else if (c is not ('\r' or '\n'))
            {
                builder.Append(c);
            }
        }

        var content = builder.ToString();
        if (IsIn(_ours, content.AsSpan().Trim()))
        {
            return Ours(content, "names our authserv-id as a quoted string");
        }

        // An unterminated or run-on quoted string that starts with our id is still a claim.
        var token = LeadingToken(content.AsSpan().TrimStart());
        if (IsIn(_ours, token))
        {
            return Ours(token, closed
                ? "quoted authserv-id starts with our authserv-id"
                : "unterminated quoted authserv-id starts with our authserv-id");
        }

        if (closed && IsIn(_trusted, content.AsSpan()))
        {
            return new AuthResultsClassification(AuthResultsClaim.Trusted, content, "names a trusted authserv-id");
        }

        return new AuthResultsClassification(AuthResultsClaim.Foreign, content, "names another authserv-id");
    }

    private static AuthResultsClassification Ours(ReadOnlySpan<char> id, string reason) =>
        new(AuthResultsClaim.Ours, id.ToString(), reason);

    private static ReadOnlySpan<char> LeadingToken(ReadOnlySpan<char> text)
    {
        var length = 0;
        while (length < text.Length && AuthResultsSyntax.IsTokenChar(text[length]))
        {
            length++;
        }

        return text[..length];
    }

    /// <summary>
    /// Skips leading CFWS and odd white space. Returns the index of the first other character,
    /// or -1 when a comment never ends.
    /// </summary>
    private static int SkipLeading(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c) || s_zeroWidth.Contains(c))
            {
                i++;
                continue;
            }

            if (c != '(')
            {
                break;
            }

            var end = SkipComment(value, i);
            if (end < 0)
            {
                return -1;
            }

            i = end;
        }

        return i;
    }

    /// <summary>Index after the comment that opens at <paramref name="open"/>, or -1 if it never closes.</summary>
    private static int SkipComment(ReadOnlySpan<char> value, int open)
    {
        var depth = 0;
        for (var i = open; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\':
                    i++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i + 1;
            }
        }

        return -1;
    }

    /// <summary>Token characters up to white space or a delimiter, skipping comments in between.</summary>
    private static string? JoinAcrossComments(ReadOnlySpan<char> rest)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < rest.Length)
        {
            var c = rest[i];
            if (c == '(')
            {
                i = SkipComment(rest, i);
                if (i < 0)
                {
                    break;
                }

                continue;
            }

            if (!AuthResultsSyntax.IsTokenChar(c))
            {
                break;
            }

            builder.Append(c);
            i++;
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>"spf=pass ..." or "dkim/1=..." with no id: a keyword followed by '=' or '/'.</summary>
    private static bool LooksLikeMethod(ReadOnlySpan<char> rest, int tokenLength)
    {
        if (!AuthResultsSyntax.IsKeyword(rest[..tokenLength]))
        {
            return false;
        }

        var i = tokenLength;
        while (i < rest.Length && AuthResultsSyntax.IsWsp(rest[i]))
        {
            i++;
        }

        return i < rest.Length && rest[i] is '=' or '/';
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c is '(' or '\r' or '\n';

    private static bool IsIn(FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ids, ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty)
        {
            return false;
        }

        if (ids.Contains(candidate))
        {
            return true;
        }

        // "mx.example.com." is the same host as "mx.example.com" (a fully qualified name).
        return candidate.Length > 1 && candidate[^1] == '.' && ids.Contains(candidate[..^1]);
    }

    private static FrozenSet<string> Build(IEnumerable<string> ids)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids)
        {
            var trimmed = id.Trim();
            if (trimmed.Length > 1 && trimmed[^1] == '.')
            {
                trimmed = trimmed[..^1];
            }

            if (trimmed.Length > 0)
            {
                set.Add(trimmed);
            }
        }

        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
