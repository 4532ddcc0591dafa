using System.Text;

namespace Filter.Engine.AuthResults;

/// <summary>
/// A position in one header value with the RFC 5322 §3.2 lexical pieces every Authentication-Results
/// reader needs: FWS (with folding), nested comments, quoted strings, tokens and keywords.
/// Never throws; a malformed piece sets <see cref="Error"/> and returns false or null.
/// </summary>
/// <remarks>
/// Folding is CRLF or a bare LF (milters deliver either) followed by WSP; a line break at the
/// very end of the value is the field's own CRLF and is skipped.
/// </remarks>
internal ref struct AuthResultsCursor
{
    private readonly ReadOnlySpan<char> _text;

    public AuthResultsCursor(ReadOnlySpan<char> text)
    {
        _text = text;
        Position = 0;
        Error = null;
        ErrorPosition = -1;
    }

    public int Position { get; set; }

    public string? Error { get; private set; }

    public int ErrorPosition { get; private set; }

    public readonly bool AtEnd => Position >= _text.Length;

    /// <summary>The current character, or '\0' at the end.</summary>
    public readonly char Current => Position < _text.Length ? _text[Position] : '\0';

    public readonly ReadOnlySpan<char> Text => _text;

    public bool Fail(string error)
    {
        Error ??= error;
        if (ErrorPosition < 0)
        {
            ErrorPosition = Position;
        }

        return false;
    }

    /// <summary>
    /// Length of a line break at <paramref name="at"/> that is folding or the field's end (0 if none,
    /// -1 for a bare CR/LF inside the value, which RFC 5322 §2.2 forbids).
    /// </summary>
    private readonly int LineBreakLength(int at)
    {
        var length = _text[at] == '\r' && at + 1 < _text.Length && _text[at + 1] == '\n' ? 2
            : _text[at] == '\n' ? 1
            : 0;
        if (length == 0)
        {
            return _text[at] == '\r' ? -1 : 0;
        }

        var next = at + length;
        if (next >= _text.Length)
        {
            return length;
        }

        return AuthResultsSyntax.IsWsp(_text[next]) ? length : -1;
    }

    /// <summary>Skips FWS only. False on a bare line break.</summary>
    public bool SkipFws()
    {
        while (Position < _text.Length)
        {
            var c = _text[Position];
            if (AuthResultsSyntax.IsWsp(c))
            {
                Position++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                var length = LineBreakLength(Position);
                if (length < 0)
                {
                    return Fail("line break not followed by white space");
                }

                Position += length;
                continue;
            }

            break;
        }

        return true;
    }

    /// <summary>
    /// Skips CFWS (RFC 5322 §3.2.2), adding each comment's text to <paramref name="comments"/>
    /// (created on the first comment). <paramref name="skipped"/> tells whether anything was skipped.
    /// </summary>
    public bool SkipCfws(ref List<string>? comments, out bool skipped)
    {
        var start = Position;
        skipped = false;
        while (true)
        {
            if (!SkipFws())
            {
                return false;
            }

            if (Current != '(')
            {
                break;
            }

            var comment = ReadComment();
            if (comment is null)
            {
                return false;
            }

            (comments ??= []).Add(comment);
        }

        skipped = Position > start;
        return true;
    }

    public bool SkipCfws(ref List<string>? comments) => SkipCfws(ref comments, out _);

    /// <summary>
    /// Reads a comment at '(' (nesting allowed, RFC 5322 §3.2.2) and returns its content with
    /// quoted-pairs decoded, folding removed and nested parentheses kept as text; null if unterminated.
    /// </summary>
    public string? ReadComment()
    {
        var open = Position;
        Position++;
        var depth = 1;
        StringBuilder? builder = null;
        var segmentStart = Position;
        while (Position < _text.Length)
        {
            var escape = ConsumeQuotedPairOrFold(ref builder, ref segmentStart);
            if (escape == EscapeOutcome.Consumed)
            {
                continue;
            }

            if (escape == EscapeOutcome.Truncated)
            {
                break;
            }

            if (escape == EscapeOutcome.BadLineBreak)
            {
                Fail("line break inside a comment");
                return null;
            }

            var c = _text[Position];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                var tail = _text[segmentStart..Position];
                Position++;
                return builder is null ? tail.ToString() : builder.Append(tail).ToString();
            }

            Position++;
        }

        Position = open;
        Fail("unterminated comment");
        return null;
    }

    /// <summary>
    /// Reads a quoted-string at '"' (RFC 5322 §3.2.4; RFC 6532 UTF-8 allowed) and returns its
    /// content with quoted-pairs decoded and folding removed; null if unterminated.
    /// <paramref name="raw"/> is the text from quote to quote as written (folding removed).
    /// </summary>
    public string? ReadQuotedString(out string raw)
    {
        var open = Position;
        Position++;
        StringBuilder? builder = null;
        StringBuilder? rawBuilder = null;
        var segmentStart = Position;
        var rawSegmentStart = open;
        while (Position < _text.Length)
        {
            var c = _text[Position];
            var before = Position;
            var escape = ConsumeQuotedPairOrFold(ref builder, ref segmentStart);
            if (escape == EscapeOutcome.Consumed)
            {
                if (c is '\r' or '\n')
                {
                    // The raw form keeps quoted-pairs as written but, like the decoded one, drops folding.
                    rawBuilder ??= new StringBuilder();
                    rawBuilder.Append(_text[rawSegmentStart..before]);
                    rawSegmentStart = Position;
                }

                continue;
            }

            if (escape == EscapeOutcome.Truncated)
            {
                break;
            }

            if (escape == EscapeOutcome.BadLineBreak)
            {
                Fail("line break inside a quoted string");
                raw = string.Empty;
                return null;
            }

            if (c == '"')
            {
                var tail = _text[segmentStart..Position];
                Position++;
                if (rawBuilder is null)
                {
                    raw = _text[open..Position].ToString();
                }
                else
                {
                    raw = rawBuilder.Append(_text[rawSegmentStart..Position]).ToString();
                }

                return builder is null ? tail.ToString() : builder.Append(tail).ToString();
            }

            if (AuthResultsSyntax.IsControl(c) && c != '\t')
            {
                break;
            }

            Position++;
        }

        Position = open;
        Fail("unterminated quoted string");
        raw = string.Empty;
        return null;
    }

    /// <summary>
    /// At <see cref="Position"/>, consumes a quoted-pair (RFC 5322 §3.2.1: the escaped character goes
    /// into <paramref name="decoded"/>) or a fold (FWS, §3.2.2: the line break is dropped), the two
    /// pieces comments and quoted strings share. <paramref name="segmentStart"/> marks the text not
    /// yet copied into <paramref name="decoded"/>, which is created only when something is decoded.
    /// </summary>
    private EscapeOutcome ConsumeQuotedPairOrFold(ref StringBuilder? decoded, ref int segmentStart)
    {
        var c = _text[Position];
        if (c == '\\')
        {
            if (Position + 1 >= _text.Length)
            {
                return EscapeOutcome.Truncated;
            }

            decoded ??= new StringBuilder();
            decoded.Append(_text[segmentStart..Position]).Append(_text[Position + 1]);
            Position += 2;
            segmentStart = Position;
            return EscapeOutcome.Consumed;
        }

        if (c is '\r' or '\n')
        {
            var length = LineBreakLength(Position);
            if (length <= 0 || Position + length >= _text.Length)
            {
                return EscapeOutcome.BadLineBreak;
            }

            decoded ??= new StringBuilder();
            decoded.Append(_text[segmentStart..Position]);
            Position += length;
            segmentStart = Position;
            return EscapeOutcome.Consumed;
        }

        return EscapeOutcome.None;
    }

    /// <summary>Reads an RFC 5321 Keyword-shaped run (letters, digits, hyphens); empty if none.</summary>
    public ReadOnlySpan<char> ReadKeywordRun()
    {
        var start = Position;
        while (Position < _text.Length && AuthResultsSyntax.IsKeywordChar(_text[Position]))
        {
            Position++;
        }

        return _text[start..Position];
    }

    /// <summary>Reads an RFC 2045 token run; empty if none.</summary>
    public ReadOnlySpan<char> ReadTokenRun()
    {
        var start = Position;
        while (Position < _text.Length && AuthResultsSyntax.IsTokenChar(_text[Position]))
        {
            Position++;
        }

        return _text[start..Position];
    }

    /// <summary>Reads a run of decimal digits; empty if none.</summary>
    public ReadOnlySpan<char> ReadDigits()
    {
        var start = Position;
        while (Position < _text.Length && char.IsAsciiDigit(_text[Position]))
        {
            Position++;
        }

        return _text[start..Position];
    }

    /// <summary>
    /// Reads an unquoted value the lenient way: everything up to white space, a line break, ';',
    /// '(', ')' or '"'. That covers RFC 2045 tokens, the RFC 8601 §2.2 local-part@domain form, and
    /// the unquoted base64 ("header.b=ab/cd") some servers write.
    /// </summary>
    public ReadOnlySpan<char> ReadBareValue()
    {
        var start = Position;
        while (Position < _text.Length)
        {
            var c = _text[Position];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"' or '\\' || AuthResultsSyntax.IsControl(c))
            {
                break;
            }

            Position++;
        }

        return _text[start..Position];
    }

    private enum EscapeOutcome
    {
        /// <summary>Neither a quoted-pair nor a line break at the position.</summary>
        None,

        /// <summary>Consumed; the position is after it.</summary>
        Consumed,

        /// <summary>A backslash as the value's last character: the piece is unterminated.</summary>
        Truncated,

        /// <summary>A line break that is not folding, or folding at the very end.</summary>
        BadLineBreak,
    }
}
