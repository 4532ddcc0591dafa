using System.Buffers;
using System.Security.Cryptography;

namespace Filter.Engine.Dkim;

/// <summary>
/// Canonicalizes a body as it streams in and hashes it (RFC 6376 §3.4.3 simple, §3.4.4 relaxed, §3.7
/// body hash). Chunks can split anywhere, even between CR and LF; bare LF is read as CRLF (files often
/// have LF endings, the milter sends CRLF). Empty lines are held back as a count, since only later
/// content shows whether they are trailing (and so dropped); memory is one small buffer whatever the
/// body size. With l= only the first <see cref="Limit"/> canonical bytes are hashed; the rest are counted.
/// </summary>
internal sealed class DkimBodyHasher : IDisposable
{
    private const int BufferSize = 16 * 1024;
    private static readonly SearchValues<byte> SimpleSpecials = SearchValues.Create("\r\n"u8);
    // Relaxed stops at TAB but not at SP: runs of text with single spaces need no change (see ContentRelaxed).
    private static readonly SearchValues<byte> RelaxedSpecials = SearchValues.Create("\r\n\t"u8);

    private readonly IncrementalHash _hash;
    private readonly bool _relaxed;
    private readonly SearchValues<byte> _specials;
    private byte[]? _buffer;
    private int _buffered;
    private long _hashed;
    private bool _sawCr;
    private bool _pendingSpace;
    private long _pendingLineBreaks;
    private bool _anyContent;
    private byte[]? _result;

    public DkimBodyHasher(DkimCanonicalization canonicalization, HashAlgorithmName hashAlgorithm, long? limit)
    {
        Canonicalization = canonicalization;
        HashAlgorithm = hashAlgorithm;
        Limit = limit;
        _relaxed = canonicalization == DkimCanonicalization.Relaxed;
        _specials = _relaxed ? RelaxedSpecials : SimpleSpecials;
        _hash = IncrementalHash.CreateHash(hashAlgorithm);
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public DkimCanonicalization Canonicalization { get; }

    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>l=, or null for the whole body.</summary>
    public long? Limit { get; }

    /// <summary>Length of the whole canonical body (known after <see cref="Finish"/>).</summary>
    public long CanonicalLength { get; private set; }

    /// <summary>Canonical bytes past l= that no signature covers (after <see cref="Finish"/>).</summary>
    public long UnsignedLength => Limit is { } limit && CanonicalLength > limit ? CanonicalLength - limit : 0;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(_result is not null, this);
        var i = 0;
        if (_sawCr && chunk.Length > 0)
        {
            _sawCr = false;
            if (chunk[0] == (byte)'\n')
            {
                EndLine();
                i = 1;
            }
            else
            {
                Content("\r"u8);
            }
        }

        while (i < chunk.Length)
        {
            var rest = chunk[i..];
            var index = rest.IndexOfAny(_specials);
            if (index < 0)
            {
                Segment(rest);
                return;
            }

            if (index > 0)
            {
                Segment(rest[..index]);
            }

            var b = rest[index];
            i += index + 1;
            switch (b)
            {
                case (byte)'\r':
                    if (i == chunk.Length)
                    {
                        // The LF may come in the next chunk.
                        _sawCr = true;
                    }
                    else if (chunk[i] == (byte)'\n')
                    {
                        EndLine();
                        i++;
                    }
                    else
                    {
                        Content("\r"u8);
                    }

                    break;
                case (byte)'\n':
                    EndLine();
                    break;
                default:
                    // Relaxed: a WSP run becomes one SP, emitted only if content follows on the line.
                    _pendingSpace = true;
                    while (i < chunk.Length && chunk[i] is (byte)' ' or (byte)'\t')
                    {
                        i++;
                    }

                    break;
            }
        }
    }

    /// <summary>Ends the body and returns the hash; later calls return the same hash.</summary>
    public byte[] Finish()
    {
        if (_result is not null)
        {
            return _result;
        }

        if (_sawCr)
        {
            _sawCr = false;
            Content("\r"u8);
        }

        if (_anyContent)
        {
            // The last non-empty line keeps (or gets) its CRLF; trailing empty lines are dropped.
            Write("\r\n"u8);
        }
        else if (!_relaxed)
        {
            // §3.4.3: an empty body is one CRLF in simple; §3.4.4: nothing in relaxed.
            Write("\r\n"u8);
        }

        Flush();
        _result = _hash.GetHashAndReset();
        ReturnBuffer();
        return _result;
    }

    public void Dispose()
    {
        ReturnBuffer();
        _hash.Dispose();
    }

    private void Segment(ReadOnlySpan<byte> segment)
    {
        if (_relaxed)
        {
            ContentRelaxed(segment);
        }
        else
        {
            Content(segment);
        }
    }

    /// <summary>
    /// Relaxed text without CR, LF or TAB: copied in bulk between double spaces; a space run becomes a
    /// pending SP that is written only if content follows on the line (§3.4.4).
    /// </summary>
    private void ContentRelaxed(ReadOnlySpan<byte> segment)
    {
        while (!segment.IsEmpty)
        {
            if (segment[0] == (byte)' ')
            {
                _pendingSpace = true;
                var text = segment.IndexOfAnyExcept((byte)' ');
                if (text < 0)
                {
                    return;
                }

                segment = segment[text..];
            }

            var run = segment.IndexOf("  "u8);
            var content = run < 0 ? segment : segment[..run];
            var trailingSpace = content[^1] == (byte)' ';
            if (trailingSpace)
            {
                // A single space at the end: it may end the line, so it stays pending.
                content = content[..^1];
            }

            Content(content);
            segment = segment[content.Length..];
        }
    }

    private void EndLine()
    {
        // Relaxed: WSP at the end of a line is dropped (§3.4.4).
        _pendingSpace = false;
        _pendingLineBreaks++;
    }

    private void Content(ReadOnlySpan<byte> run)
    {
        // The held-back line breaks were not trailing after all.
        for (; _pendingLineBreaks > 0; _pendingLineBreaks--)
        {
            Write("\r\n"u8);
        }

        if (_pendingSpace)
        {
            _pendingSpace = false;
            Write(" "u8);
        }

        Write(run);
        _anyContent = true;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        CanonicalLength += bytes.Length;
        if (Limit is { } limit)
        {
            var room = limit - _hashed;
            if (room <= 0)
            {
                return;
            }

            if (bytes.Length > room)
            {
                bytes = bytes[..(int)room];
            }
        }

        _hashed += bytes.Length;
        var buffer = _buffer!;
        if (bytes.Length > buffer.Length - _buffered)
        {
            Flush();
            if (bytes.Length >= buffer.Length)
            {
                _hash.AppendData(bytes);
                return;
            }
        }

        bytes.CopyTo(buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
    }

    private void Flush()
    {
        if (_buffered > 0)
        {
            _hash.AppendData(_buffer!, 0, _buffered);
            _buffered = 0;
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
