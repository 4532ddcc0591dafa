using System.IO.Pipelines;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks.Support;

/// <summary>
/// A live <see cref="MilterSession"/> and a <see cref="MilterClient"/> joined by in-memory pipes, past
/// OPTNEG, CONNECT (198.51.100.7) and HELO: the daemon's milter path without sockets, so the
/// session benchmarks measure the protocol and the handler, not the kernel.
/// </summary>
internal sealed class InMemoryMilterRig
{
    private readonly Task _session;

    private InMemoryMilterRig(MilterClient client, Task session)
    {
        Client = client;
        _session = session;
    }

    public MilterClient Client { get; }

    /// <param name="factory">The milter side's handlers (the daemon's glue, or a bare observer).</param>
    /// <param name="writeEachCommand">
    /// False: the client buffers the commands the milter does not answer until one it answers, as
    /// Postfix does. True: one write per packet, as Sendmail does.
    /// </param>
    /// <param name="sendHelo">Whether to send HELO client.example.org after CONNECT.</param>
    public static InMemoryMilterRig Start(IMilterHandlerFactory factory, bool writeEachCommand, bool sendHelo = true)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var session = new MilterSession(new PipeTransport(toServer.Reader, toClient.Writer), factory, new MilterSessionInfo(1, "memory"), new MilterSessionOptions(), NullLogger.Instance);
        Task running = Task.Run(() => session.RunAsync(CancellationToken.None));
        var client = new MilterClient(new PipeTransport(toClient.Reader, toServer.Writer), new MilterClientOptions { CoalesceUnansweredCommands = !writeEachCommand });
        client.NegotiateAsync(CancellationToken.None).GetAwaiter().GetResult();
        client.SendConnectAsync(new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7"), CancellationToken.None).GetAwaiter().GetResult();
        if (sendHelo)
        {
            client.SendHeloAsync("client.example.org", CancellationToken.None).GetAwaiter().GetResult();
        }

        return new InMemoryMilterRig(client, running);
    }

    /// <summary>QUIT, then waits for the session to end.</summary>
    public void Stop()
    {
        Client.SendQuitAsync(CancellationToken.None).GetAwaiter().GetResult();
        _session.GetAwaiter().GetResult();
    }

    private sealed class PipeTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
