using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Filter.Milter.Server;

/// <summary>
/// The session's reader straight from the accepted socket: what arrived is kept in ONE buffer
/// rented from <see cref="ArrayPool{T}"/> and handed out as a single-segment sequence, so a read is
/// a <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/> into that
/// buffer, without a <see cref="NetworkStream"/> and a stream pipe reader's segment chain in
/// between. While nothing is buffered the reader holds no buffer at all and waits with a zero-byte
/// receive, so an idle connection costs no memory; a frame larger than the buffer (a 64 KiB body
/// chunk) grows it by doubling, up to what the session's frame limit lets through, and unconsumed
/// bytes move to the front before the buffer grows. Receive failures surface as
/// <see cref="IOException"/>, as a <see cref="NetworkStream"/> would raise them.
/// <see cref="CancelPendingRead"/> ends a read in progress with <see cref="ReadResult.IsCanceled"/>
/// (the session's drain). Never closes the socket; its owner does. Not thread-safe apart from
/// <see cref="CancelPendingRead"/>.
/// </summary>
internal sealed class SocketPipeReader(Socket socket) : PipeReader
{
    /// <summary>First buffer: a whole message of commands usually fits.</summary>
    internal const int InitialBufferSize = 8 * 1024;

    /// <summary>Free space below which the buffer is compacted or grown before a receive.</summary>
    private const int MinimumReceiveSpace = 2 * 1024;

    private readonly Socket _socket = socket;
    private readonly Lock _cancelLock = new();
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private int _examined;
    private bool _peerClosed;
    private bool _completed;
    private bool _cancelRequested;
    private CancellationTokenSource? _pendingRead;

    /// <summary>Bytes of buffer held now (0 while idle): for tests.</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <inheritdoc />
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (TakeCancelRequest())
        {
            return ValueTask.FromResult(new ReadResult(Buffered(), isCanceled: true, isCompleted: false));
        }

        if (_end > _examined || _peerClosed)
        {
            return ValueTask.FromResult(new ReadResult(Buffered(), isCanceled: false, isCompleted: _peerClosed));
        }

        return ReceiveAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (TakeCancelRequest())
        {
            result = new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
            return true;
        }

        if (_end > _examined || _peerClosed)
        {
            result = new ReadResult(Buffered(), isCanceled: false, isCompleted: _peerClosed);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // Positions come from Buffered(), a sequence over _buffer itself: their integer is the array index.
        int consumedAt = consumed.GetObject() is null ? _start : consumed.GetInteger();
        int examinedAt = examined.GetObject() is null ? consumedAt : examined.GetInteger();
        if (consumedAt < _start || consumedAt > _end || examinedAt < consumedAt || examinedAt > _end)
        {
            throw new InvalidOperationException("The position is outside the data last read.");
        }

        _start = consumedAt;
        _examined = examinedAt;
        if (_start == _end)
        {
            _start = _end = _examined = 0;
        }
    }

    /// <inheritdoc />
    public override void CancelPendingRead()
    {
        lock (_cancelLock)
        {
            _cancelRequested = true;
            _pendingRead?.Cancel();
        }
    }

    /// <inheritdoc />
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Release();
        lock (_cancelLock)
        {
            _pendingRead?.Dispose();
            _pendingRead = null;
        }
    }

    private async ValueTask<ReadResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        CancellationToken pending;
        lock (_cancelLock)
        {
            _pendingRead ??= new CancellationTokenSource();
            pending = _pendingRead.Token;
        }

        using CancellationTokenRegistration caller = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static reader => ((SocketPipeReader)reader!).CancelPendingRead(), this)
            : default;
        try
        {
            if (_start == _end)
            {
                // Nothing buffered: give the buffer back and wait for data without one, so idle costs no memory.
                Release();
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, pending).ConfigureAwait(false);
            }

            MakeRoom();
            int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, pending).ConfigureAwait(false);
            if (received == 0)
            {
                _peerClosed = true;
            }

            _end += received;
            return new ReadResult(Buffered(), isCanceled: false, isCompleted: _peerClosed);
        }
        catch (OperationCanceledException) when (pending.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_cancelLock)
            {
                // The cancelled source cannot be reused; the next read makes a new one.
                _cancelRequested = false;
                _pendingRead?.Dispose();
                _pendingRead = null;
            }

            return new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
        }
        catch (SocketException exception)
        {
            throw new IOException($"Unable to read data from the transport connection: {exception.Message}", exception);
        }
        catch (ObjectDisposedException exception)
        {
            // The server closed the socket under the session (the end of a drain): a lost connection.
            throw new IOException("The transport connection was closed.", exception);
        }
    }

    private bool TakeCancelRequest()
    {
        lock (_cancelLock)
        {
            if (!_cancelRequested)
            {
                return false;
            }

            _cancelRequested = false;
            if (_pendingRead is { IsCancellationRequested: true })
            {
                _pendingRead.Dispose();
                _pendingRead = null;
            }

            return true;
        }
    }

    private ReadOnlySequence<byte> Buffered() =>
        _end == _start ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);

    /// <summary>At least <see cref="MinimumReceiveSpace"/> free after the data: compact, else grow.</summary>
    private void MakeRoom()
    {
        if (_buffer.Length - _end >= MinimumReceiveSpace)
        {
            return;
        }

        int length = _end - _start;
        if (_start > 0 && _buffer.Length - length >= MinimumReceiveSpace)
        {
            // The consumed front is free again: move the unconsumed tail (part of one frame) there.
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
        }
        else
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, _buffer.Length * 2));
            _buffer.AsSpan(_start, length).CopyTo(larger);
            byte[] old = _buffer;
            _buffer = larger;
            if (old.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(old);
            }
        }

        _examined -= _start;
        _start = 0;
        _end = length;
    }

    private void Release()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = _examined = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
