using System.Net.Sockets;
using Filter.Milter.Client;
using Filter.Milter.Server;

namespace Filter.Host.Bench;

/// <summary>
/// Opens a milter client over a blocking socket (<see cref="BlockingSocketStream"/>) for a paced
/// connection that runs on a thread of its own: every step of the client then completes on that
/// thread, which blocks in recv(2) for the answer as an MTA's smtpd process does.
/// </summary>
internal static class BlockingMilterConnection
{
    /// <summary>
    /// Connects and negotiates. A blocking call cannot be cancelled, so <paramref name="timeout"/>
    /// bounds every send and receive instead: a stuck milter surfaces as an <see cref="IOException"/>
    /// over a <see cref="SocketException"/> with <see cref="SocketError.TimedOut"/>, which the runner
    /// counts as a timeout.
    /// </summary>
    public static async Task<MilterClient> OpenAsync(
        MilterSocketSpec target, MilterClientOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Socket socket = target.CreateClientSocket();
        BlockingSocketStream stream;
        try
        {
            socket.Connect(target.ToEndPoint());
            if (target.Kind == MilterSocketKind.Inet)
            {
                socket.NoDelay = true;
            }

            int milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            socket.ReceiveTimeout = milliseconds;
            socket.SendTimeout = milliseconds;
            stream = new BlockingSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // No zero-byte reads: this thread only reads when an answer is due, so waiting for data
        // without a buffer saves no memory and costs a recv(2) (MSG_PEEK) per reply.
        return await MilterClient.NegotiateOverAsync(new StreamDuplexPipe(stream, zeroByteReads: false), stream, options, cancellationToken).ConfigureAwait(false);
    }
}
