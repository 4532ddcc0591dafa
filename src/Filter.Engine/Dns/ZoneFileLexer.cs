namespace Filter.Engine.Dns;

/// <summary>
/// Splits an RFC 1035 §5.1 master file into words, entry ends and <c>authfilter:</c> comment
/// directives. It handles what is lexical: whitespace, <c>;</c> comments, parentheses (which let an
/// entry span lines), quoted strings and the <c>\X</c> / <c>\DDD</c> escapes. Errors go to the
/// sink with their position and mark the entry as failed, so the parser skips it.
/// </summary>
internal sealed class ZoneFileLexer
{
    private const string DirectivePrefix = "authfilter:";

    private readonly byte[] _data;
    private readonly ZoneFileErrorSink _errors;
    private readonly string _file;
    private byte[] _scratch = new byte[256];
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private bool _inParentheses;
    private int _parenthesisLine;
    private int _parenthesisColumn;

    public ZoneFileLexer(byte[] data, string file, ZoneFileErrorSink errors)
    {
        _data = data;
        _file = file;
        _errors = errors;
        // A UTF-8 byte order mark is not part of the first owner name.
        if (data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        {
            _position = 3;
            _lineStart = 3;
        }
    }

    /// <summary>True once the entry in progress had a lexical error; the parser resets it.</summary>
    public bool EntryFailed { get; set; }

    public ReadOnlySpan<byte> Data => _data;

    public ZoneToken Next()
    {
        while (true)
        {
            if (_position >= _data.Length)
            {
                if (_inParentheses)
                {
                    _inParentheses = false;
                    Fail(_parenthesisLine, _parenthesisColumn, "'(' is never closed: expected ')' before the end of the file");
                }

                return Marker(ZoneTokenKind.EndOfFile);
            }

            switch (_data[_position])
            {
                case (byte)' ' or (byte)'\t' or (byte)'\r':
                    _position++;
                    break;
                case (byte)'\n':
                    var end = Marker(ZoneTokenKind.EndOfEntry);
                    _position++;
                    _line++;
                    _lineStart = _position;
                    if (!_inParentheses)
                    {
                        return end;
                    }

                    break;
                case (byte)';':
                    if (ReadComment() is { } directive)
                    {
                        return directive;
                    }

                    break;
                case (byte)'(':
                    if (_inParentheses)
                    {
                        // RFC 1035 §5.1 groups lines with one pair; nesting is a typo, not a feature.
                        Fail(_line, ColumnAt(_position), "nested '(': an entry has one pair of parentheses");
                    }
                    else
                    {
                        _inParentheses = true;
                        _parenthesisLine = _line;
                        _parenthesisColumn = ColumnAt(_position);
                    }

                    _position++;
                    break;
                case (byte)')':
                    if (!_inParentheses)
                    {
                        Fail(_line, ColumnAt(_position), "unbalanced ')': no '(' is open");
                    }

                    _inParentheses = false;
                    _position++;
                    break;
                case (byte)'"':
                    return ReadQuoted();
                default:
                    return ReadWord();
            }
        }
    }

    private ZoneToken Marker(ZoneTokenKind kind) =>
        new(kind, [], _position, 0, _line, ColumnAt(_position), Quoted: false, Escaped: false, AtLineStart: _position == _lineStart);

    private ZoneToken? ReadComment()
    {
        var start = _position + 1;
        var end = start;
        while (end < _data.Length && _data[end] != (byte)'\n')
        {
            end++;
        }

        _position = end;
        var text = start;
        while (text < end && _data[text] is (byte)' ' or (byte)'\t')
        {
            text++;
        }

        if (end - text < DirectivePrefix.Length)
        {
            return null;
        }

        for (var i = 0; i < DirectivePrefix.Length; i++)
        {
            if ((_data[text + i] | 0x20) != DirectivePrefix[i])
            {
                return null;
            }
        }

        var body = text + DirectivePrefix.Length;
        // A '\r' before the line end belongs to the line ending, not to the directive.
        var bodyEnd = end > body && _data[end - 1] == (byte)'\r' ? end - 1 : end;
        return new ZoneToken(ZoneTokenKind.Directive, _data[body..bodyEnd], body, bodyEnd - body, _line, ColumnAt(body),
            Quoted: false, Escaped: false, AtLineStart: false);
    }

    private ZoneToken ReadQuoted()
    {
        var start = _position;
        var line = _line;
        var column = ColumnAt(start);
        var atLineStart = start == _lineStart;
        var length = 0;
        var escaped = false;
        _position++;
        while (true)
        {
            if (_position >= _data.Length || _data[_position] == (byte)'\n')
            {
                Fail(line, column, "unterminated quoted string: expected a closing '\"' before the end of the line");
                // The rest of the entry cannot be trusted; a ')' inside the string must not keep it open.
                _inParentheses = false;
                break;
            }

            var b = _data[_position];
            if (b == (byte)'"')
            {
                _position++;
                break;
            }

            if (b == (byte)'\\')
            {
                escaped = true;
                ReadEscape(ref length);
                continue;
            }

            Append(ref length, b);
            _position++;
        }

        return new ZoneToken(ZoneTokenKind.Word, _scratch[..length], start, _position - start, line, column,
            Quoted: true, escaped, atLineStart);
    }

    private ZoneToken ReadWord()
    {
        var start = _position;
        var column = ColumnAt(start);
        var length = 0;
        var escaped = false;
        while (_position < _data.Length)
        {
            var b = _data[_position];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)';' or (byte)'(' or (byte)')' or (byte)'"')
            {
                break;
            }

            if (b == (byte)'\\')
            {
                escaped = true;
                ReadEscape(ref length);
                continue;
            }

            Append(ref length, b);
            _position++;
        }

        return new ZoneToken(ZoneTokenKind.Word, _scratch[..length], start, _position - start, _line, column,
            Quoted: false, escaped, AtLineStart: start == _lineStart);
    }

    /// <summary>RFC 1035 §5.1: <c>\X</c> is X itself, <c>\DDD</c> the octet with decimal value DDD.</summary>
    private void ReadEscape(ref int length)
    {
        var column = ColumnAt(_position);
        if (_position + 1 >= _data.Length || _data[_position + 1] is (byte)'\n' or (byte)'\r')
        {
            Fail(_line, column, "'\\' at the end of a line: expected a character or three digits (\\DDD) after it");
            _position++;
            return;
        }

        var next = _data[_position + 1];
        if (!char.IsAsciiDigit((char)next))
        {
            Append(ref length, next);
            _position += 2;
            return;
        }

        if (_position + 3 >= _data.Length || !char.IsAsciiDigit((char)_data[_position + 2]) || !char.IsAsciiDigit((char)_data[_position + 3]))
        {
            Fail(_line, column, "expected three decimal digits after '\\' (\\DDD)");
            _position += 2;
            return;
        }

        var value = ((next - '0') * 100) + ((_data[_position + 2] - '0') * 10) + (_data[_position + 3] - '0');
        if (value > 255)
        {
            Fail(_line, column, $"\\{value} is not an octet: \\DDD must be 255 or less");
        }
        else
        {
            Append(ref length, (byte)value);
        }

        _position += 4;
    }

    private void Append(ref int length, byte value)
    {
        if (length == _scratch.Length)
        {
            Array.Resize(ref _scratch, _scratch.Length * 2);
        }

        _scratch[length++] = value;
    }

    private int ColumnAt(int position) => ZoneText.Column(_data, _lineStart, position);

    private void Fail(int line, int column, string message)
    {
        EntryFailed = true;
        _errors.Add(new ZoneFileError(_file, line, column, message));
    }
}
