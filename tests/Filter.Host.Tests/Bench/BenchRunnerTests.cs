using System.Net;
using System.Net.Sockets;
using System.Text;
using Filter.Host.Bench;
using Filter.Milter.Client;
using Filter.Milter.Server;

namespace Filter.Host.Tests.Bench;

/// <summary>The load runner against an in-process milter server over loopback.</summary>
public sealed class BenchRunnerTests
{
    private static MilterClientMessage Message(string subject) => MilterClientMessage.Parse(
        Encoding.ASCII.GetBytes($"From: alice@example.org\r\nTo: bob@example.net\r\nSubject: {subject}\r\n\r\nHello\r\n"),
        "<alice@example.org>", ["<bob@example.net>"]);

    private static async Task<MilterServer> StartAsync(SubjectVerdictHandlerFactory factory)
    {
        var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    [Test]
    public async Task Every_message_gets_one_verdict_over_concurrent_connections()
    {
        var factory = new SubjectVerdictHandlerFactory();
        await using MilterServer server = await StartAsync(factory);
        BenchCorpus corpus = BenchCorpus.FromMessages([Message("hello"), Message("please reject"), Message("please tempfail"), Message("again")]);

        BenchResult result = await BenchRunner.RunAsync(corpus, new BenchOptions(server.BoundSpec!, Connections: 4, Messages: 40, Warmup: 8), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Attempted, Is.EqualTo(40));
            Assert.That(result.Accepted, Is.EqualTo(20), "messages 0 and 3 of every 4");
            Assert.That(result.Rejected, Is.EqualTo(10));
            Assert.That(result.TempFailed, Is.EqualTo(10), "tempfails are counted apart from rejects");
            Assert.That(result.Errors, Is.Zero);
            Assert.That(result.EndOfMessage.Count, Is.EqualTo(40));
            Assert.That(result.WholeMessage.Count, Is.EqualTo(40));
            Assert.That(result.EndOfMessage.MaxNanoseconds, Is.LessThanOrEqualTo(result.WholeMessage.MaxNanoseconds));
            Assert.That(factory.SessionsCreated, Is.EqualTo(8), "4 sessions for the warmup and 4 for the run: several messages per session");
        });
    }

    [Test]
    public async Task A_paced_run_sends_every_message_and_gets_every_verdict()
    {
        var factory = new SubjectVerdictHandlerFactory();
        await using MilterServer server = await StartAsync(factory);
        BenchCorpus corpus = BenchCorpus.FromMessages([Message("hello"), Message("please reject")]);

        BenchResult result = await BenchRunner.RunAsync(
            corpus, new BenchOptions(server.BoundSpec!, Connections: 2, Messages: 12) { Rate = 400 }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Attempted, Is.EqualTo(12));
            Assert.That(result.Accepted, Is.EqualTo(6));
            Assert.That(result.Rejected, Is.EqualTo(6));
            Assert.That(result.Errors, Is.Zero);
            Assert.That(result.EndOfMessage.Count, Is.EqualTo(12));
        });
    }

    [Test]
    public async Task Nothing_listening_counts_every_message_as_a_connection_failure()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        BenchCorpus corpus = BenchCorpus.FromMessages([Message("hello")]);
        BenchResult result = await BenchRunner.RunAsync(corpus, new BenchOptions(MilterSocketSpec.Inet("127.0.0.1", port), 2, 6), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Attempted, Is.EqualTo(6));
            Assert.That(result.ConnectFailures, Is.EqualTo(6));
            Assert.That(result.Completed, Is.Zero);
            Assert.That(result.EndOfMessage.Count, Is.Zero);
        });
    }

    [Test]
    public async Task A_peer_that_is_not_a_milter_is_a_protocol_violation_or_disconnect_never_a_verdict()
    {
        // A server that answers every connection with garbage and closes.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        Task serve = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using Socket socket = await listener.AcceptSocketAsync(stop.Token);
                await socket.SendAsync("\0\0\0\u0001Zgarbage"u8.ToArray(), SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
        });

        BenchCorpus corpus = BenchCorpus.FromMessages([Message("hello")]);
        BenchResult result = await BenchRunner.RunAsync(corpus, new BenchOptions(MilterSocketSpec.Inet("127.0.0.1", port), 1, 3), CancellationToken.None);
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await serve;
        }
        catch (OperationCanceledException)
        {
            // The accept loop ends by cancellation.
        }
        catch (SocketException)
        {
            // Or by the listener stopping under it.
        }

        Assert.Multiple(() =>
        {
            Assert.That(result.Attempted, Is.EqualTo(3));
            Assert.That(result.Completed, Is.Zero);
            Assert.That(result.Errors, Is.EqualTo(3), "negotiation fails on every attempt, each counted once");
        });
    }

    [TestCase(false, TestName = "A stuck milter counts as a timeout, back to back (the message's timer)")]
    [TestCase(true, TestName = "A stuck milter counts as a timeout, paced (the blocking socket's timeout)")]
    public async Task A_milter_that_never_answers_end_of_message_counts_timeouts_not_disconnects(bool paced)
    {
        await using var milter = await StuckMilter.StartAsync();
        BenchCorpus corpus = BenchCorpus.FromMessages([Message("hello")]);
        var options = new BenchOptions(MilterSocketSpec.Inet("127.0.0.1", milter.Port), Connections: 1, Messages: 2)
        {
            // Long enough for a loaded CI machine to negotiate in, in a Debug build.
            MessageTimeout = TimeSpan.FromSeconds(1),
            Rate = paced ? 1000 : null,
        };

        BenchResult result = await BenchRunner.RunAsync(corpus, options, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Attempted, Is.EqualTo(2));
            Assert.That(result.Timeouts, Is.EqualTo(2), $"each message waited its timeout, then the connection was reopened ({result.ConnectFailures} connect failures, {result.ProtocolViolations} protocol)");
            Assert.That(result.Disconnects, Is.Zero);
            Assert.That(result.Completed, Is.Zero);
            Assert.That(milter.Connections, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Idle_connections_are_all_open_at_once_then_closed()
    {
        var factory = new SubjectVerdictHandlerFactory();
        await using MilterServer server = await StartAsync(factory);
        int openWhileHeld = -1;

        BenchResult result = await MemoryProbe.IdleConnectionsAsync(new BenchOptions(server.BoundSpec!, 1, 0), 25, async () =>
        {
            // The server counts a session once its CONNECT arrived; give the last one a moment.
            for (int i = 0; i < 100 && server.ActiveSessions < 25; i++)
            {
                await Task.Delay(20);
            }

            openWhileHeld = server.ActiveSessions;
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Accepted, Is.EqualTo(25));
            Assert.That(result.ConnectFailures, Is.Zero);
            Assert.That(openWhileHeld, Is.EqualTo(25));
        });
    }

    [Test]
    public async Task A_large_message_goes_through_in_chunks_and_is_accepted()
    {
        var factory = new SubjectVerdictHandlerFactory();
        await using MilterServer server = await StartAsync(factory);
        MilterClientMessage large = MemoryProbe.LargeMessage(3 * 1024 * 1024);

        BenchResult result = await BenchRunner.RunAsync(BenchCorpus.FromMessages([large]), new BenchOptions(server.BoundSpec!, 1, 1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(large.Body.Length, Is.GreaterThan(3 * 1024 * 1024 - 78));
            Assert.That(result.Accepted, Is.EqualTo(1));
            Assert.That(result.Errors, Is.Zero);
        });
    }
}
