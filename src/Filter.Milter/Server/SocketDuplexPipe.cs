using System.IO.Pipelines;
using System.Net.Sockets;

namespace Filter.Milter.Server;

/// <summary>
/// An accepted connection's transport: commands are read through the stream pipe reader (pooled
/// segments, zero-byte reads while idle, see <see cref="StreamDuplexPipe"/>), responses are written
/// by <see cref="SocketPipeWriter"/> straight onto the socket, one send per flush.
/// </summary>
internal sealed class SocketDuplexPipe(Socket socket, Stream stream) : IDuplexPipe
{
    public PipeReader Input { get; } = StreamDuplexPipe.CreateReader(stream);

    public PipeWriter Output { get; } = new SocketPipeWriter(socket);
}
