using System.Net;
using System.Net.Sockets;
using Filter.Milter.Protocol;

namespace Filter.Host.Tests.Bench;

/// <summary>
/// A milter that negotiates (no replies wanted before end of message) and then never answers:
/// it reads and discards whatever comes until the client gives up and closes.
/// </summary>
internal sealed class StuckMilter : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    private StuckMilter(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public static Task<StuckMilter> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return Task.FromResult(new StuckMilter(listener));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // The accept loop ends by cancellation.
        }
        catch (SocketException)
        {
            // Or by the listener stopping under it.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            byte[] buffer = new byte[64 * 1024];
            try
            {
                // OPTNEG is 17 bytes (length, 'O', version, actions, protocol); answer it, then go silent.
                int read = 0;
                while (read < 17)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory(read, 17 - read), SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                using var reply = new PooledBufferWriter();
                MilterFrameWriter.Write(reply, new NegotiateResponse(6, MilterActionFlags.AddHeaders, MilterProtocolFlags.AllNoReply | MilterProtocolFlags.HeaderLeadingSpace, []));
                await socket.SendAsync(reply.WrittenMemory, SocketFlags.None, _stop.Token);
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
                {
                    // Never answer.
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                // The client closed or the test is over.
            }
        }
    }
}
