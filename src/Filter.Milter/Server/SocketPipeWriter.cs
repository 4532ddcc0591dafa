using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Filter.Milter.Server;

/// <summary>
/// The session's writer straight onto the accepted socket: responses are laid out in one buffer
/// rented from <see cref="ArrayPool{T}"/> and a flush is ONE <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/>
/// of all of it, so an end of message's edits and decision leave in one write (milter reference
/// §18) without a <see cref="NetworkStream"/> and a stream pipe writer's segments and async flush
/// in between. A send the kernel takes at once (the usual case: a few hundred bytes into an empty
/// socket buffer) completes synchronously, with no state machine. The buffer goes back to the pool
/// after each flush, so an idle connection holds none. Send failures surface as
/// <see cref="IOException"/>, as a <see cref="NetworkStream"/> would raise them, which the session
/// treats as a lost connection. Not thread-safe: the session serializes its writes.
/// Never closes the socket; its owner does.
/// </summary>
internal sealed class SocketPipeWriter(Socket socket) : PipeWriter
{
    /// <summary>First buffer: an end-of-message batch (our header, edits, decision) fits.</summary>
    private const int InitialBufferSize = 4096;

    private readonly Socket _socket = socket;
    private byte[] _buffer = [];
    private int _written;
    private bool _completed;
    private volatile bool _sending;
    private volatile bool _flushCancelled;

    /// <inheritdoc />
    public override bool CanGetUnflushedBytes => true;

    /// <inheritdoc />
    public override long UnflushedBytes => _written;

    /// <inheritdoc />
    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_written + bytes > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += bytes;
    }

    /// <inheritdoc />
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <inheritdoc />
    public override void CancelPendingFlush() => _flushCancelled = true;

    /// <inheritdoc />
    public override void Complete(Exception? exception = null)
    {
        _completed = true;

        // A send still in flight (a session torn down mid-write) returns the buffer itself when it
        // ends: the kernel may still be reading it.
        if (!_sending)
        {
            Release();
        }
    }

    /// <inheritdoc />
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_flushCancelled)
        {
            _flushCancelled = false;
            return ValueTask.FromResult(new FlushResult(isCanceled: true, isCompleted: false));
        }

        if (_written == 0)
        {
            return default;
        }

        ValueTask<int> sending;
        try
        {
            sending = _socket.SendAsync(_buffer.AsMemory(0, _written), SocketFlags.None, cancellationToken);
        }
        catch (SocketException exception)
        {
            Release();
            throw Lost(exception);
        }

        if (sending.IsCompletedSuccessfully && sending.Result == _written)
        {
            Release();
            return default;
        }

        _sending = true;
        return FinishSendAsync(sending, cancellationToken);
    }

    private async ValueTask<FlushResult> FinishSendAsync(ValueTask<int> sending, CancellationToken cancellationToken)
    {
        try
        {
            int offset = 0;
            while (true)
            {
                offset += await sending.ConfigureAwait(false);
                if (offset >= _written)
                {
                    return default;
                }

                // A stream socket's send normally takes everything; should one stop short, the rest follows.
                sending = _socket.SendAsync(_buffer.AsMemory(offset, _written - offset), SocketFlags.None, cancellationToken);
            }
        }
        catch (SocketException exception)
        {
            throw Lost(exception);
        }
        finally
        {
            _sending = false;
            Release();
        }
    }

    private static IOException Lost(SocketException exception) =>
        new($"Unable to write data to the transport connection: {exception.Message}", exception);

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialBufferSize, _buffer.Length * 2)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        byte[] old = _buffer;
        _buffer = larger;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    private void Release()
    {
        // Exchanged, not read and cleared: Complete and the end of a send may race to return it.
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
