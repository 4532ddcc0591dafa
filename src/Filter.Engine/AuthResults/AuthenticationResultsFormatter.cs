namespace Filter.Engine.AuthResults;

/// <summary>
/// Writes Authentication-Results header values (RFC 8601 §2.2) ready for the milter's insert-header
/// action: the value only (no field name, no leading space, no final CRLF), folded so that with
/// "Authentication-Results: " in front no line passes 78 characters where a fold point exists,
/// and no line ever passes the RFC 5322 §2.1.1 limit of 998 octets.
/// </summary>
/// <remarks>
/// <para>Layout: the authserv-id on the first line, each resinfo on its own line after CRLF+TAB,
/// and within a resinfo further folds (CRLF+TAB+two spaces) only between elements. Inside a quoted string
/// or comment the writer may fold before white space that is already there (RFC 5322 §3.2.2,
/// the CRLF disappears on unfolding, the white space stays); it never folds inside a token.</para>
/// <para>Quoting (RFC 8601 §2.2): the authserv-id, reason and values are written bare when they are
/// RFC 2045 tokens, values of the form [local-part]@domain-name are written bare as §2.2 pvalue
/// allows, everything else is a quoted-string. Control characters other than HTAB become '?'
/// and text over <see cref="AuthResultsSyntax.MaxTextLength"/> characters is cut, so no input can
/// inject a line or break the 998-octet limit; text within those bounds round-trips exactly
/// through <see cref="AuthenticationResultsParser"/>.</para>
/// </remarks>
internal sealed class AuthenticationResultsFormatter
{
    /// <summary>The header field name.</summary>
    public const string FieldName = "Authentication-Results";

    /// <summary>RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters.</summary>
    public const int FoldColumn = 78;

    /// <summary>RFC 5322 §2.1.1: lines MUST be no more than 998 octets.</summary>
    public const int MaxLineOctets = 998;

    private const int MaxAuthServIdLength = 255;

    /// <summary>The authserv-id as written: sanitized and quoted when it is not a token.</summary>
    private readonly string _authServIdElement;

    /// <summary>Creates a formatter for our authserv-id (configuration: a bad id is a bug, it throws).</summary>
    public AuthenticationResultsFormatter(string authServId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authServId);
        if (authServId.Length > MaxAuthServIdLength || !AuthResultsSyntax.IsSafeText(authServId))
        {
            throw new ArgumentException("authserv-id must be at most 255 characters without control characters", nameof(authServId));
        }

        AuthServId = authServId;

        // The id is the same on every header we write: made safe and quoted once, here.
        var scratch = new PooledCharBuilder(64);
        try
        {
            AppendValue(ref scratch, authServId, allowAddress: false);
            _authServIdElement = scratch.ToString();
        }
        finally
        {
            scratch.Dispose();
        }
    }

    /// <summary>Our authserv-id (RFC 8601 §2.5), usually the host name of the MTA.</summary>
    public string AuthServId { get; }

    /// <summary>
    /// The header value for our results, naming our authserv-id; an empty list writes "none"
    /// (RFC 8601 §2.2 no-result).
    /// </summary>
    public string Format(IReadOnlyList<MethodResult> results) => Write(_authServIdElement, null, [], results);

    /// <summary>Writes any header model (its own authserv-id, which must not be empty).</summary>
    public static string Write(AuthenticationResults header)
    {
        ArgumentException.ThrowIfNullOrEmpty(header.AuthServId);
        return Write(header.AuthServId, header.Version, header.Comments, header.Results, sanitizeId: true);
    }

    private static string Write(string authServId, int? version, IReadOnlyList<string> comments, IReadOnlyList<MethodResult> results, bool sanitizeId = false)
    {
        // Both buffers are rented: the only allocation of a header is the final string (issue 7: this ran
        // once per message through two StringBuilders, a copy per element and boxed list enumerators).
        var writer = new LineWriter(FieldName.Length + 2);
        var scratch = new PooledCharBuilder(256);
        try
        {
            if (sanitizeId)
            {
                AppendValue(ref scratch, authServId, allowAddress: false);
            }
            else
            {
                scratch.Append(authServId); // already written as a value (the constructor)
            }

            writer.Element(ref scratch, ElementStart.Attached, reserve: 1);
            if (version is { } number)
            {
                scratch.Append(number);
                writer.Element(ref scratch, ElementStart.Spaced, reserve: 1);
            }

            for (var i = 0; i < comments.Count; i++)
            {
                AppendComment(ref scratch, comments[i]);
                writer.Element(ref scratch, ElementStart.Spaced, reserve: 1);
            }

            if (results.Count == 0)
            {
                scratch.Append(';');
                writer.Element(ref scratch, ElementStart.Attached, reserve: 0);
                scratch.Append("none");
                writer.Element(ref scratch, ElementStart.Spaced, reserve: 0);
                return writer.ToString();
            }

            for (var i = 0; i < results.Count; i++)
            {
                scratch.Append(';');
                writer.Element(ref scratch, ElementStart.Attached, reserve: 0);
                WriteResult(ref writer, ref scratch, results[i], i < results.Count - 1 ? 1 : 0);
            }

            return writer.ToString();
        }
        finally
        {
            scratch.Dispose();
            writer.Dispose();
        }
    }

    private static void WriteResult(ref LineWriter writer, ref PooledCharBuilder scratch, MethodResult result, int reserveAtEnd)
    {
        // Indexed loops: a foreach over IReadOnlyList<T> boxes an enumerator for every list.
        var methodComments = result.Comments;
        var properties = result.Properties;
        var elements = 1 + methodComments.Count + (result.Reason is null ? 0 : 1);
        for (var p = 0; p < properties.Count; p++)
        {
            elements += 1 + properties[p].Comments.Count;
        }

        var index = 0;
        scratch.Append(result.Method.Name);
        if (result.MethodVersion is { } methodVersion)
        {
            scratch.Append('/');
            scratch.Append(methodVersion);
        }

        scratch.Append('=');
        scratch.Append(result.Result.Name);
        writer.Element(ref scratch, ElementStart.NewLine, Reserve(++index, elements, reserveAtEnd));

        for (var c = 0; c < methodComments.Count; c++)
        {
            AppendComment(ref scratch, methodComments[c]);
            writer.Element(ref scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
        }

        if (result.Reason is not null)
        {
            scratch.Append("reason=");
            AppendValue(ref scratch, result.Reason, allowAddress: false);
            writer.Element(ref scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
        }

        for (var p = 0; p < properties.Count; p++)
        {
            var property = properties[p];
            if (property.Type is not null)
            {
                scratch.Append(property.Type.Name);
                scratch.Append('.');
            }

            scratch.Append(property.Name);
            scratch.Append('=');
            AppendValue(ref scratch, property.Value, allowAddress: true);
            writer.Element(ref scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
            var propertyComments = property.Comments;
            for (var c = 0; c < propertyComments.Count; c++)
            {
                AppendComment(ref scratch, propertyComments[c]);
                writer.Element(ref scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
            }
        }
    }

    private static int Reserve(int index, int count, int reserveAtEnd) => index == count ? reserveAtEnd : 0;

    /// <summary>value (RFC 2045 token / quoted-string) or, for a pvalue, [local-part]@domain-name bare.</summary>
    private static void AppendValue(ref PooledCharBuilder scratch, string value, bool allowAddress)
    {
        var text = AuthResultsSyntax.Sanitize(value);
        if (AuthResultsSyntax.IsToken(text) || allowAddress && AuthResultsSyntax.IsAddressPValue(text))
        {
            scratch.Append(text);
            return;
        }

        scratch.Append('"');
        AppendQuoted(ref scratch, text, comment: false);
        scratch.Append('"');
    }

    /// <summary>A comment (RFC 5322 §3.2.2) with every parenthesis and backslash quoted.</summary>
    private static void AppendComment(ref PooledCharBuilder scratch, string comment)
    {
        var text = AuthResultsSyntax.Sanitize(comment);
        scratch.Append('(');
        AppendQuoted(ref scratch, text, comment: true);
        scratch.Append(')');
    }

    /// <summary>
    /// Copies runs that need no quoted-pair in one piece; a backslash goes before each char that does:
    /// '"' and '\' in a quoted-string, '(', ')' and '\' in a comment (RFC 5322 §3.2.1, §3.2.2, §3.2.4).
    /// </summary>
    private static void AppendQuoted(ref PooledCharBuilder scratch, ReadOnlySpan<char> text, bool comment)
    {
        while (true)
        {
            var special = comment ? text.IndexOfAny('\\', '(', ')') : text.IndexOfAny('\\', '"');
            if (special < 0)
            {
                scratch.Append(text);
                return;
            }

            scratch.Append(text[..special]);
            scratch.Append('\\');
            scratch.Append(text[special]);
            text = text[(special + 1)..];
        }
    }

    private enum ElementStart
    {
        /// <summary>Directly after what precedes it (the id, a ';').</summary>
        Attached,

        /// <summary>After one space, or CRLF+TAB when the line is full.</summary>
        Spaced,

        /// <summary>Always after CRLF+TAB.</summary>
        NewLine,
    }

    /// <summary>Folding white space before each resinfo.</summary>
    private const string ResultIndent = "\t";

    /// <summary>Folding white space inside a resinfo: deeper, so a reader sees where each result starts.</summary>
    private const string ContinuationIndent = "\t  ";

    /// <summary>Lays out elements into folded lines, counting octets per line.</summary>
    private struct LineWriter(int startColumn) : IDisposable
    {
        private PooledCharBuilder _output = new(512);
        private int _column = startColumn;
        private bool _lineIsEmpty;

        /// <summary>
        /// Appends the element in <paramref name="scratch"/> (then clears it). Its white-space runs,
        /// which only occur inside quoted strings and comments, are extra fold points.
        /// <paramref name="reserve"/> octets are kept free after the element's last piece (for a ';').
        /// </summary>
        public void Element(ref PooledCharBuilder scratch, ElementStart start, int reserve)
        {
            var text = scratch.Written;
            var length = text.Length;
            if (length == 0)
            {
                return;
            }

            // Pieces end where a white-space run starts (or at the end); most elements have none, so
            // the search, not a per-char test, finds the few boundaries.
            var pieceStart = 0;
            var searchFrom = 1;
            var first = true;
            while (true)
            {
                var found = searchFrom < length ? text[searchFrom..].IndexOfAny(' ', '\t') : -1;
                var end = found < 0 ? length : searchFrom + found;
                if (end < length && AuthResultsSyntax.IsWsp(text[end - 1]))
                {
                    searchFrom = end + 1; // inside a run: the run's first char was the boundary
                    continue;
                }

                var piece = text[pieceStart..end];
                var octets = AuthResultsSyntax.Utf8Length(piece);
                var extra = end == length ? reserve : 0;
                if (first)
                {
                    Start(octets, start, extra);
                    first = false;
                }
                else
                {
                    Continue(octets, extra);
                }

                _output.Append(piece);
                _column += octets;
                if (end == length)
                {
                    break;
                }

                pieceStart = end;
                searchFrom = end + 1;
            }

            scratch.Clear();
        }

        /// <summary>Starts an element of <paramref name="octets"/>: a fold, a space or nothing before it.</summary>
        private void Start(int octets, ElementStart start, int reserve)
        {
            switch (start)
            {
                case ElementStart.NewLine:
                    NewLine(ResultIndent);
                    break;
                case ElementStart.Spaced when !_lineIsEmpty && _column + 1 + octets + reserve > FoldColumn:
                    NewLine(ContinuationIndent);
                    break;
                case ElementStart.Spaced when !_lineIsEmpty:
                    _output.Append(' ');
                    _column++;
                    break;
            }

            _lineIsEmpty = false;
        }

        /// <summary>A piece that begins with white space already in the text: fold by a bare CRLF.</summary>
        private void Continue(int octets, int reserve)
        {
            if (_column + octets + reserve > FoldColumn)
            {
                _output.Append("\r\n");
                _column = 0;
            }
        }

        private void NewLine(string indent)
        {
            _output.Append("\r\n");
            _output.Append(indent);
            _column = indent.Length;
            _lineIsEmpty = true;
        }

        public override readonly string ToString() => _output.ToString();

        public void Dispose() => _output.Dispose();
    }
}
