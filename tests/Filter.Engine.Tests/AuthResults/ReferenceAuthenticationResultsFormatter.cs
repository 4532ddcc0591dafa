using System.Text;

using Filter.Engine.AuthResults;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>
/// The Authentication-Results formatter as it was before the allocation diet (StringBuilders and per-char
/// loops), kept verbatim with its per-char syntax checks as the reference the rewritten one must equal
/// char for char (see <see cref="AuthenticationResultsFormatterEquivalenceTests"/>).
/// </summary>
internal static class ReferenceAuthenticationResultsFormatter
{
    private const string FieldName = "Authentication-Results";

    private const int FoldColumn = 78;

    /// <summary>Writes any header model (its own authserv-id, which must not be empty).</summary>
    public static string Write(AuthenticationResults header)
    {
        ArgumentException.ThrowIfNullOrEmpty(header.AuthServId);
        var writer = new LineWriter(FieldName.Length + 2);
        var scratch = new StringBuilder(128);

        AppendValue(scratch, header.AuthServId, allowAddress: false);
        writer.Element(scratch, ElementStart.Attached, reserve: 1);
        if (header.Version is { } version)
        {
            scratch.Append(version);
            writer.Element(scratch, ElementStart.Spaced, reserve: 1);
        }

        foreach (var comment in header.Comments)
        {
            AppendComment(scratch, comment);
            writer.Element(scratch, ElementStart.Spaced, reserve: 1);
        }

        if (header.Results.Count == 0)
        {
            scratch.Append(';');
            writer.Element(scratch, ElementStart.Attached, reserve: 0);
            scratch.Append("none");
            writer.Element(scratch, ElementStart.Spaced, reserve: 0);
            return writer.ToString();
        }

        for (var i = 0; i < header.Results.Count; i++)
        {
            scratch.Append(';');
            writer.Element(scratch, ElementStart.Attached, reserve: 0);
            WriteResult(ref writer, scratch, header.Results[i], i < header.Results.Count - 1 ? 1 : 0);
        }

        return writer.ToString();
    }

    private static void WriteResult(ref LineWriter writer, StringBuilder scratch, MethodResult result, int reserveAtEnd)
    {
        var elements = 1 + result.Comments.Count + (result.Reason is null ? 0 : 1);
        foreach (var property in result.Properties)
        {
            elements += 1 + property.Comments.Count;
        }

        var index = 0;
        scratch.Append(result.Method.Name);
        if (result.MethodVersion is { } methodVersion)
        {
            scratch.Append('/').Append(methodVersion);
        }

        scratch.Append('=').Append(result.Result.Name);
        writer.Element(scratch, ElementStart.NewLine, Reserve(++index, elements, reserveAtEnd));

        foreach (var comment in result.Comments)
        {
            AppendComment(scratch, comment);
            writer.Element(scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
        }

        if (result.Reason is not null)
        {
            scratch.Append("reason=");
            AppendValue(scratch, result.Reason, allowAddress: false);
            writer.Element(scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
        }

        foreach (var property in result.Properties)
        {
            if (property.Type is not null)
            {
                scratch.Append(property.Type.Name).Append('.');
            }

            scratch.Append(property.Name).Append('=');
            AppendValue(scratch, property.Value, allowAddress: true);
            writer.Element(scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
            foreach (var comment in property.Comments)
            {
                AppendComment(scratch, comment);
                writer.Element(scratch, ElementStart.Spaced, Reserve(++index, elements, reserveAtEnd));
            }
        }
    }

    private static int Reserve(int index, int count, int reserveAtEnd) => index == count ? reserveAtEnd : 0;

    /// <summary>value (RFC 2045 token / quoted-string) or, for a pvalue, [local-part]@domain-name bare.</summary>
    private static void AppendValue(StringBuilder scratch, string value, bool allowAddress)
    {
        var text = Sanitize(value);
        if (IsToken(text) || allowAddress && AuthResultsSyntax.IsAddressPValue(text))
        {
            scratch.Append(text);
            return;
        }

        scratch.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                scratch.Append('\\');
            }

            scratch.Append(c);
        }

        scratch.Append('"');
    }

    /// <summary>A comment (RFC 5322 §3.2.2) with every parenthesis and backslash quoted.</summary>
    private static void AppendComment(StringBuilder scratch, string comment)
    {
        var text = Sanitize(comment);
        scratch.Append('(');
        foreach (var c in text)
        {
            if (c is '(' or ')' or '\\')
            {
                scratch.Append('\\');
            }

            scratch.Append(c);
        }

        scratch.Append(')');
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
    private struct LineWriter(int startColumn)
    {
        private readonly StringBuilder _output = new(512);
        private char[] _buffer = new char[128];
        private int _column = startColumn;
        private bool _lineIsEmpty;

        /// <summary>
        /// Appends the element in <paramref name="scratch"/> (then clears it). Its white-space runs,
        /// which only occur inside quoted strings and comments, are extra fold points.
        /// <paramref name="reserve"/> octets are kept free after the element's last piece (for a ';').
        /// </summary>
        public void Element(StringBuilder scratch, ElementStart start, int reserve)
        {
            // Copy once: StringBuilder's indexer is slow, and elements are short.
            var length = scratch.Length;
            if (_buffer.Length < length)
            {
                _buffer = new char[Math.Max(length, _buffer.Length * 2)];
            }

            scratch.CopyTo(0, _buffer, 0, length);
            scratch.Clear();
            var text = _buffer.AsSpan(0, length);

            var pieceStart = 0;
            var first = true;
            for (var i = 1; i <= length; i++)
            {
                var boundary = i == length
                    || IsWsp(text[i]) && !IsWsp(text[i - 1]);
                if (!boundary)
                {
                    continue;
                }

                var piece = text[pieceStart..i];
                var octets = Utf8Length(piece);
                var extra = i == length ? reserve : 0;
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
                pieceStart = i;
            }
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
            _output.Append("\r\n").Append(indent);
            _column = indent.Length;
            _lineIsEmpty = true;
        }

        public override readonly string ToString() => _output.ToString();
    }

    private static bool IsWsp(char c) => c is ' ' or '\t';

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!AuthResultsSyntax.IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSafeText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (AuthResultsSyntax.IsControl(c) && c != '\t')
            {
                return false;
            }
        }

        return true;
    }

    private static string Sanitize(string text)
    {
        var cut = text.Length > AuthResultsSyntax.MaxTextLength;
        if (!cut && IsSafeText(text))
        {
            return text;
        }

        var length = cut ? AuthResultsSyntax.MaxTextLength : text.Length;
        if (cut && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Create(length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = AuthResultsSyntax.IsControl(c) && c != '\t' ? '?' : c;
            }
        });
    }

    private static int Utf8Length(ReadOnlySpan<char> text)
    {
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
}
