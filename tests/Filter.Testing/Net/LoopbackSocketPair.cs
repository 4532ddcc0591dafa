using System.Net;
using System.Net.Sockets;

namespace Filter.Testing.Net;

/// <summary>A connected TCP pair on 127.0.0.1 for tests of socket transports.</summary>
public static class LoopbackSocketPair
{
    /// <summary>
    /// The accepted (server) side and the connecting (client) side, both with TCP_NODELAY, as the
    /// server sets it on accepted sockets and as a test that sends byte by byte needs it, so every
    /// write leaves as its own segment.
    /// </summary>
    public static async Task<(Socket Server, Socket Client)> ConnectAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        Socket server = await listener.AcceptAsync();
        server.NoDelay = true;
        return (server, client);
    }
}
