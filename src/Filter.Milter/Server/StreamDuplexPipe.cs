using System.IO.Pipelines;

namespace Filter.Milter.Server;

/// <summary>
/// A reader and writer over one stream. The writer's segments are large enough that a whole
/// end-of-message batch lands in one segment, so one flush is one write to the socket.
/// </summary>
/// <param name="stream">The connection.</param>
/// <param name="zeroByteReads">
/// Wait for data with a zero-byte read before renting a read buffer (the default; see
/// <see cref="Input"/>). Off for a connection that always has an answer coming, such as a blocking
/// load-tool connection, where each zero-byte read is one more recv(2) per reply.
/// </param>
internal sealed class StreamDuplexPipe(Stream stream, bool zeroByteReads = true) : IDuplexPipe
{
    /// <summary>
    /// Read buffer segment. Small on purpose: a session can keep its last segment after a read that
    /// carried several frames (seen with OPTNEG, CONNECT and HELO arriving together), and a 64 KiB
    /// segment (128 KiB from the shared pool's size classes) kept by each of 1,000 idle sessions
    /// is 128 MiB. A 64 KiB body chunk then spans several segments, which the frame reader and
    /// <c>BodyCommand</c> take as a ReadOnlySequence without copying.
    /// </summary>
    private const int ReadBufferSize = 8 * 1024;

    /// <summary>Write segment size: end-of-message batches fit, so a flush is one write.</summary>
    private const int WriteSegmentSize = 16 * 1024;

    /// <summary>
    /// Zero-byte reads: an idle connection waits for data without renting a read buffer, and
    /// rents one only when bytes have arrived.
    /// </summary>
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(
        pool: null, bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: zeroByteReads));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: WriteSegmentSize, leaveOpen: true));
}
