using System.IO.Pipelines;

namespace Filter.Milter.Server;

/// <summary>
/// A reader and writer over one stream. The writer's segments are large enough that a whole
/// end-of-message batch lands in one segment, so one flush is one write to the socket.
/// </summary>
internal sealed class StreamDuplexPipe(Stream stream) : IDuplexPipe
{
    /// <summary>Read buffer: a full body chunk (64 KiB) plus framing fits in one.</summary>
    private const int ReadBufferSize = 64 * 1024 + 512;

    /// <summary>Write segment size: end-of-message batches fit, so a flush is one write.</summary>
    private const int WriteSegmentSize = 16 * 1024;

    /// <summary>
    /// Zero-byte reads: an idle connection waits for data without holding a read buffer, and
    /// rents one only when bytes have arrived. Without them each idle session pins a pooled
    /// 64 KiB buffer (128 KiB from the shared pool's size classes) for as long as it is open.
    /// </summary>
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(
        pool: null, bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: true));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: WriteSegmentSize, leaveOpen: true));
}
