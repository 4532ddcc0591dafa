using System.Net.Sockets;

namespace Filter.Host.Bench;

/// <summary>
/// A stream over a blocking socket whose asynchronous reads and writes do the blocking call and
/// return a completed task, so the milter client's awaits finish on the calling thread. Used by
/// paced runs, where each connection gets a thread of its own: the answer wakes that thread
/// straight from recv(2), as it wakes an MTA's single-threaded smtpd process, instead of going
/// through an epoll thread and a thread-pool hop, which on a small VM added ≈0.4 ms to the
/// measured end-of-message p50 (README, "Benchmarking a milter"). Socket errors surface as
/// <see cref="IOException"/>, as with <see cref="NetworkStream"/>. Owns the socket.
/// </summary>
internal sealed class BlockingSocketStream(Socket socket) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return socket.Receive(buffer, SocketFlags.None);
        }
        catch (SocketException exception)
        {
            throw new IOException($"Unable to read data from the transport connection: {exception.Message}", exception);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (IOException exception)
        {
            return ValueTask.FromException<int>(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[socket.Send(buffer, SocketFlags.None)..];
            }
        }
        catch (SocketException exception)
        {
            throw new IOException($"Unable to write data to the transport connection: {exception.Message}", exception);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            Write(buffer.Span);
            return default;
        }
        catch (IOException exception)
        {
            return ValueTask.FromException(exception);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        // Every write went to the socket already.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
