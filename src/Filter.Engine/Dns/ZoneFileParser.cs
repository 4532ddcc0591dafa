using System.Runtime.InteropServices;

namespace Filter.Engine.Dns;

/// <summary>
/// Reads the entries of one master file (RFC 1035 §5.1) into the shared zone: control entries
/// (<c>$ORIGIN</c>, <c>$TTL</c> of RFC 2308 §4, <c>$INCLUDE</c>), resource records with their owner,
/// TTL and class, and <c>authfilter:</c> comment directives. Each entry with an error is left out and
/// reported; reading goes on with the next entry.
/// </summary>
internal sealed class ZoneFileParser
{
    private readonly ZoneFileReadContext _context;
    private readonly ZoneFileLexer _lexer;
    private readonly ZoneRecordDataReader _records;
    private readonly string _file;
    private readonly string _directory;
    private readonly int _depth;
    private string? _origin;
    private uint? _ttlDirective;
    private uint? _lastTtl;
    private string? _previousOwner;

    public ZoneFileParser(ZoneFileReadContext context, byte[] data, string file, string directory, int depth, ZoneFileParserState state)
    {
        _context = context;
        _file = file;
        _directory = directory;
        _depth = depth;
        _origin = state.Origin;
        _ttlDirective = state.Ttl;
        _previousOwner = state.PreviousOwner;
        _lexer = new ZoneFileLexer(data, file, context.Errors);
        _records = new ZoneRecordDataReader(context, file, data);
    }

    public void Run()
    {
        var entry = new List<ZoneToken>();
        while (!_context.Errors.Stopped)
        {
            var token = _lexer.Next();
            switch (token.Kind)
            {
                case ZoneTokenKind.Word:
                    entry.Add(token);
                    break;
                case ZoneTokenKind.Directive:
                    ReadDirective(token);
                    break;
                default:
                    if (entry.Count > 0 && !_lexer.EntryFailed)
                    {
                        ReadEntry(CollectionsMarshal.AsSpan(entry), token);
                    }

                    entry.Clear();
                    _lexer.EntryFailed = false;
                    if (token.Kind == ZoneTokenKind.EndOfFile)
                    {
                        return;
                    }

                    break;
            }
        }
    }

    private void ReadEntry(ReadOnlySpan<ZoneToken> tokens, ZoneToken end)
    {
        var first = tokens[0];
        if (first.Plain && first.Octets.Length > 1 && first.Octets[0] == (byte)'$')
        {
            ReadControlEntry(tokens, end);
            return;
        }

        var index = 0;
        string owner;
        if (first.AtLineStart)
        {
            if (!TryName(first, out owner))
            {
                return;
            }

            index = 1;
        }
        else if (_previousOwner is null)
        {
            Error(first, "no owner name: the line starts with a blank, which means 'the previous owner', and there is none yet");
            return;
        }
        else
        {
            owner = _previousOwner;
        }

        _previousOwner = owner;

        // RFC 1035 §5.1: [<TTL>] [<class>] <type> <RDATA> or [<class>] [<TTL>] <type> <RDATA>.
        uint? ttl = null;
        var sawClass = false;
        while (index < tokens.Length)
        {
            var token = tokens[index];
            if (!sawClass && IsClass(token))
            {
                if (!token.IsPlain("IN"))
                {
                    Error(token, $"class {token.Text} is not supported: expected IN");
                    return;
                }

                sawClass = true;
            }
            else if (ttl is null && token.Octets.Length > 0 && char.IsAsciiDigit((char)token.Octets[0]))
            {
                if (ZoneNumbers.TryParseTtl(token.Text, out var value) is { } ttlError)
                {
                    Error(token, ttlError);
                    return;
                }

                ttl = value;
            }
            else
            {
                break;
            }

            index++;
        }

        if (index >= tokens.Length)
        {
            Error(end, "expected a record type (A, AAAA, MX, TXT, PTR, CNAME, or one that is skipped such as SOA or NS)");
            return;
        }

        if (ttl is not null)
        {
            _lastTtl = ttl;
        }

        var effectiveTtl = ttl ?? _ttlDirective ?? _lastTtl ?? _context.Options.DefaultTtl;
        _records.Read(owner, effectiveTtl, tokens[index], tokens[(index + 1)..], end, _origin);
    }

    private static bool IsClass(ZoneToken token) =>
        token.IsPlain("IN") || token.IsPlain("CH") || token.IsPlain("HS") || token.IsPlain("CS") || token.IsPlain("ANY");

    private void ReadControlEntry(ReadOnlySpan<ZoneToken> tokens, ZoneToken end)
    {
        var keyword = tokens[0];
        if (keyword.IsPlain("$ORIGIN"))
        {
            if (Arguments(tokens, end, 1, 1, "$ORIGIN <name>") && TryName(tokens[1], out var origin))
            {
                _origin = origin;
            }
        }
        else if (keyword.IsPlain("$TTL"))
        {
            if (Arguments(tokens, end, 1, 1, "$TTL <ttl>"))
            {
                if (ZoneNumbers.TryParseTtl(tokens[1].Text, out var ttl) is { } error)
                {
                    Error(tokens[1], error);
                }
                else
                {
                    _ttlDirective = ttl;
                }
            }
        }
        else if (keyword.IsPlain("$INCLUDE"))
        {
            if (Arguments(tokens, end, 1, 2, "$INCLUDE <file> [<origin>]"))
            {
                Include(tokens);
            }
        }
        else
        {
            Error(keyword, $"unknown control entry '{keyword.Text}': expected $ORIGIN, $TTL or $INCLUDE");
        }
    }

    /// <summary>
    /// RFC 1035 §5.1: the included file starts with the given origin (or the current one), and
    /// "a $INCLUDE entry never changes the relative origin of the parent file". Its $TTL stays its own too.
    /// </summary>
    private void Include(ReadOnlySpan<ZoneToken> tokens)
    {
        var origin = _origin;
        if (tokens.Length == 3 && !TryName(tokens[2], out origin))
        {
            return;
        }

        var pathToken = tokens[1];
        if (_depth + 1 > _context.Options.MaxIncludeDepth)
        {
            Error(pathToken, $"$INCLUDE nested deeper than {_context.Options.MaxIncludeDepth} files (does a file include itself?)");
            return;
        }

        var relative = pathToken.Text;
        string path;
        try
        {
            path = Path.Combine(_directory, relative);
        }
        catch (ArgumentException exception)
        {
            Error(pathToken, $"cannot read '{relative}': {exception.Message}");
            return;
        }

        var data = _context.TryReadFile(path, new ZoneFileError(_file, pathToken.Line, pathToken.Column, ""));
        if (data is null)
        {
            return;
        }

        var state = new ZoneFileParserState(origin, _ttlDirective, _previousOwner);
        new ZoneFileParser(_context, data, path, Path.GetDirectoryName(path) ?? "", _depth + 1, state).Run();
    }

    private bool Arguments(ReadOnlySpan<ZoneToken> tokens, ZoneToken end, int min, int max, string usage)
    {
        var count = tokens.Length - 1;
        if (count < min)
        {
            Error(end, $"expected {usage}");
            return false;
        }

        if (count > max)
        {
            Error(tokens[max + 1], $"unexpected '{tokens[max + 1].Text}': expected {usage}");
            return false;
        }

        return true;
    }

    private void ReadDirective(ZoneToken directive)
    {
        if (ZoneFailureDirective.TryRead(directive, _origin, out var failure) is { } error)
        {
            Error(error.At, error.Message);
            return;
        }

        _context.Zone.AddFailure(failure.Name, failure.Status, failure.Type, failure.Detail);
    }

    private bool TryName(ZoneToken token, out string name)
    {
        if (token.Quoted)
        {
            name = "";
            Error(token, "expected a domain name, found a quoted string");
            return false;
        }

        if (ZoneNameParser.TryParse(_lexer.Data.Slice(token.RawStart, token.RawLength), _origin, out name) is { } error)
        {
            Error(token, error);
            return false;
        }

        return true;
    }

    private void Error(ZoneToken at, string message) =>
        _context.Errors.Add(new ZoneFileError(_file, at.Line, at.Column, message));
}
