using System.Buffers;
using System.Security.Cryptography;

namespace Filter.Engine.Dkim;

/// <summary>
/// Canonicalizes a body as it streams in and hashes it (RFC 6376 §3.4.3 simple, §3.4.4 relaxed, §3.7
/// body hash). Chunks can split anywhere, even between CR and LF; bare LF is read as CRLF (files often
/// have LF endings, the milter sends CRLF). Empty lines are held back as a count, since only later
/// content shows whether they are trailing (and so dropped); memory is one small buffer whatever the
/// body size. With l= only the first <see cref="Limit"/> canonical bytes are hashed; the rest are counted.
/// Speed: between content bytes most of a body needs no rewriting, so bulk paths take it — stretches
/// already canonical are hashed in place from the caller's chunk (simple; relaxed when 1 KiB or more),
/// relaxed stretches with WSP to reduce go through the vector block copy (<see cref="DkimRelaxedCopy"/>)
/// into the staging buffer — and the byte-at-a-time state machine is left the chunk edges, bare CR or LF,
/// and runs of empty lines.
/// </summary>
internal sealed class DkimBodyHasher : IDisposable
{
    private const int BufferSize = 16 * 1024;
    private const int MinimumCopyRoom = 4 * 1024;
    private const int StreamingStep = 64;
    private const int DirectHashMinimum = 1024;
    private static readonly SearchValues<byte> LineBreaks = SearchValues.Create("\r\n"u8);
    private static readonly SearchValues<byte> RelaxedBlanks = SearchValues.Create(" \t\r\n"u8);

    private readonly IncrementalHash _hash;
    private readonly DkimHashPool? _pool;
    private readonly bool _relaxed;
    private bool _disposed;
    private byte[]? _buffer;
    private int _buffered;
    private long _hashed;
    private bool _sawCr;
    private bool _pendingSpace;
    private long _pendingLineBreaks;
    private bool _anyContent;
    private byte[]? _result;

    public DkimBodyHasher(DkimCanonicalization canonicalization, HashAlgorithmName hashAlgorithm, long? limit)
        : this(canonicalization, hashAlgorithm, limit, null)
    {
    }

    /// <summary>A hasher whose hash context comes from <paramref name="pool"/> and goes back to it on <see cref="Dispose"/> (null: a context of its own).</summary>
    public DkimBodyHasher(DkimCanonicalization canonicalization, HashAlgorithmName hashAlgorithm, long? limit, DkimHashPool? pool)
    {
        Canonicalization = canonicalization;
        HashAlgorithm = hashAlgorithm;
        Limit = limit;
        _relaxed = canonicalization == DkimCanonicalization.Relaxed;
        _pool = pool;
        _hash = pool is null ? IncrementalHash.CreateHash(hashAlgorithm) : pool.Rent(hashAlgorithm);
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
        ObjectDisposedException.ThrowIf(_result is not null || _disposed, this);
        if (Limit is not null)
        {
            // l= (rare, and RFC 6376 §8.2 advises against it): the byte-exact cut is the state machine's.
            AppendStreaming(chunk);
            return;
        }

        // Bulk paths take the stretches they can prove canonical; the state machine does the rest
        // (chunk starts, bare CR/LF, runs of empty lines and the chunk's end, where lines may turn out
        // to be trailing). They hand over only just after a content byte, where nothing is pending.
        var blanks = _relaxed ? RelaxedBlanks : LineBreaks;
        var contentEnd = _relaxed ? chunk.Length : chunk.LastIndexOfAnyExcept(LineBreaks) + 1;
        var i = 0;
        while (i < chunk.Length)
        {
            var j = i;
            if (i > 0 && IsIdle && !blanks.Contains(chunk[i - 1]))
            {
                var next = _relaxed ? CopyRelaxed(chunk, i) : HashSimple(chunk, i, contentEnd);
                if (next > i)
                {
                    i = next;
                    continue;
                }

                // Something the bulk path does not take: let the state machine step over it.
                j = Math.Min(chunk.Length, i + StreamingStep);
            }

            var content = chunk[j..].IndexOfAnyExcept(blanks);
            j = content < 0 ? chunk.Length : j + content + 1;
            AppendStreaming(chunk[i..j]);
            i = j;
        }
    }

    /// <summary>Ends the body and returns the hash; later calls return the same hash.</summary>
    public byte[] Finish()
    {
        if (_result is not null)
        {
            return _result;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
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
        if (_disposed)
        {
            return;
        }

        // Returned once only: a context in the pool twice would be shared by two messages.
        _disposed = true;
        ReturnBuffer();
        if (_pool is null)
        {
            _hash.Dispose();
        }
        else
        {
            // Not finished (an aborted message): the context still holds body data; the pool resets it.
            _pool.Return(_hash, dirty: _result is null);
        }
    }

    /// <summary>Nothing held back: no CR waiting for its LF, no WSP run, no empty lines.</summary>
    private bool IsIdle => !_sawCr && !_pendingSpace && _pendingLineBreaks == 0;

    /// <summary>The streaming state machine: any split of the body, byte by byte if need be.</summary>
    private void AppendStreaming(ReadOnlySpan<byte> chunk)
    {
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

        if (_relaxed)
        {
            AppendRelaxed(chunk, i);
        }
        else
        {
            AppendSimple(chunk, i);
        }
    }

    /// <summary>Relaxed bulk path (<see cref="DkimRelaxedCopy"/>): canonical bytes go straight into the staging buffer.</summary>
    private int CopyRelaxed(ReadOnlySpan<byte> chunk, int i)
    {
        // Long stretches with nothing to rewrite (most real mail) are hashed where they lie.
        var clean = DkimRelaxedCopy.CleanLength(chunk, i);
        if (clean >= DirectHashMinimum)
        {
            Flush();
            _hash.AppendData(chunk.Slice(i, clean));
            CanonicalLength += clean;
            _hashed += clean;
            _anyContent = true;
            return i + clean;
        }

        if (_buffer!.Length - _buffered < MinimumCopyRoom)
        {
            Flush();
        }

        var next = DkimRelaxedCopy.Copy(chunk, i, _buffer.AsSpan(_buffered), out var written);
        if (written > 0)
        {
            _buffered += written;
            CanonicalLength += written;
            _hashed += written;
            _anyContent = true;
        }

        return next;
    }

    /// <summary>
    /// Simple bulk path: from just after a content byte up to the chunk's last content byte the body is
    /// canonical as it stands, unless it has a bare LF; that stretch is hashed from the caller's chunk.
    /// </summary>
    private int HashSimple(ReadOnlySpan<byte> chunk, int i, int contentEnd)
    {
        if (i >= contentEnd)
        {
            return i;
        }

        var stop = DkimSimpleScan.IndexOfBareLineFeed(chunk, i, contentEnd);
        if (stop > i)
        {
            Flush();
            _hash.AppendData(chunk[i..stop]);
            CanonicalLength += stop - i;
            _hashed += stop - i;
            _anyContent = true;
        }

        return stop;
    }

    /// <summary>Simple (§3.4.3): only line ends matter; the text between them is hashed as is.</summary>
    private void AppendSimple(ReadOnlySpan<byte> chunk, int i)
    {
        while (i < chunk.Length)
        {
            var rest = chunk[i..];
            var index = rest.IndexOfAny(LineBreaks);
            if (index < 0)
            {
                Content(rest);
                return;
            }

            if (index > 0)
            {
                Content(rest[..index]);
            }

            i += index + 1;
            i = LineBreak(chunk, i, rest[index]);
        }
    }

    /// <summary>
    /// Relaxed (§3.4.4): one vector scan finds the next byte that needs work (<see cref="DkimRelaxedScan"/>);
    /// the text before it is already canonical and goes to the hash in one piece.
    /// </summary>
    private void AppendRelaxed(ReadOnlySpan<byte> chunk, int i)
    {
        if (_pendingSpace)
        {
            // A WSP run cut by the previous chunk's end goes on here: still one pending SP.
            i = SkipWsp(chunk, i);
        }

        while (i < chunk.Length)
        {
            var text = DkimRelaxedScan.IndexOfWork(chunk[i..]);
            if (text > 0)
            {
                Content(chunk.Slice(i, text));
                i += text;
                if (i == chunk.Length)
                {
                    return;
                }
            }

            var b = chunk[i++];
            if (b is (byte)' ' or (byte)'\t')
            {
                // A WSP run becomes one SP, written only if content follows on the line.
                _pendingSpace = true;
                i = SkipWsp(chunk, i);
            }
            else
            {
                i = LineBreak(chunk, i, b);
            }
        }
    }

    /// <summary>Handles CR or LF at i - 1; returns where to go on.</summary>
    private int LineBreak(ReadOnlySpan<byte> chunk, int i, byte b)
    {
        if (b == (byte)'\n')
        {
            EndLine();
        }
        else if (i == chunk.Length)
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
            // A bare CR is content.
            Content("\r"u8);
        }

        return i;
    }

    private static int SkipWsp(ReadOnlySpan<byte> chunk, int i)
    {
        // Runs are short; the scan has already stepped over the text around them.
        while (i < chunk.Length && chunk[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
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
