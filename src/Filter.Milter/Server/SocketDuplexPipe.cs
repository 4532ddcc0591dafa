using System.IO.Pipelines;
using System.Net.Sockets;

namespace Filter.Milter.Server;

/// <summary>
/// An accepted connection's transport straight over its socket: commands are read by
/// <see cref="SocketPipeReader"/> (one pooled buffer, none while idle), responses are written by
/// <see cref="SocketPipeWriter"/> (one send per flush). No stream in between.
/// </summary>
internal sealed class SocketDuplexPipe(Socket socket) : IDuplexPipe
{
    public PipeReader Input { get; } = new SocketPipeReader(socket);

    public PipeWriter Output { get; } = new SocketPipeWriter(socket);
}
