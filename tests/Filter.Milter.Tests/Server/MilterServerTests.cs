using System.Net.Sockets;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Server;
using Filter.Milter.Session;
using Filter.Milter.Tests.Support;
using Filter.Testing.Net;

namespace Filter.Milter.Tests.Server;

/// <summary>The client against the server over real loopback sockets.</summary>
public sealed class MilterServerTests
{
    private static readonly MilterCapabilities s_observer = new(MilterSteps.All, MilterSteps.None,
        MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine, []);

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static MilterClientMessage Message(string subject = "Hi") => MilterClientMessage.Parse(
        System.Text.Encoding.ASCII.GetBytes($"From: alice@example.org\r\nSubject: {subject}\r\n\r\nHello\r\n"), "<alice@example.org>", ["<bob@example.net>"]);

    private static RecordingHandlerFactory Tagging() => new(s_observer)
    {
        EndOfMessage = _ => new MilterMessageEdits()
            .InsertHeader(0, "Authentication-Results", "mx.example.net; spf=pass smtp.mailfrom=example.org")
            .DeleteHeader("Authentication-Results", 1)
            .Quarantine("test")
            .ToOutcome(MilterDecision.Continue),
    };

    private static ConnectCommand Connect(int port = 1234) => new("client.example.org", ConnectFamily.Inet, (ushort)port, "192.0.2.1");

    [Test]
    public async Task Loopback_session_with_nodelay_and_one_segment_per_end_of_message()
    {
        bool? noDelay = null;
        RecordingHandlerFactory factory = Tagging();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory)
        {
            AcceptedSocketObserver = socket => noDelay = socket.NoDelay,
        };
        await server.StartAsync(CancellationToken.None);

        // The kernel's own count of data segments received on the MTA's socket: the server writes
        // through its production writer, nothing wrapped.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint!);
        Assume.That(TcpInfo.IsSupported(socket), Is.True, "TCP_INFO with tcpi_data_segs_in (Linux 4.6+)");
        await using var client = new MilterClient(new StreamDuplexPipe(new NetworkStream(socket, ownsSocket: true)));
        uint start = TcpInfo.DataSegmentsIn(socket)!.Value;
        await client.NegotiateAsync(CancellationToken.None);
        uint negotiated = TcpInfo.DataSegmentsIn(socket)!.Value;
        await client.SendConnectAsync(Connect(), CancellationToken.None);
        await client.SendHeloAsync("client.example.org", CancellationToken.None);

        var perEndOfMessage = new List<uint>();
        var replies = new List<MilterEndOfMessageReply>();
        for (int i = 0; i < 2; i++)
        {
            // Every step is answered (the observer asks for all, without no-reply flags), so each
            // earlier reply has been read and the count moves only for the end of message.
            await client.SendMailAsync("<alice@example.org>", [], CancellationToken.None);
            await client.SendRecipientAsync("<bob@example.net>", [], CancellationToken.None);
            await client.SendHeaderAsync("Subject", "Hi", CancellationToken.None);
            await client.SendEndOfHeadersAsync(CancellationToken.None);
            await client.SendBodyAsync("Hello\r\n"u8.ToArray(), CancellationToken.None);
            uint before = TcpInfo.DataSegmentsIn(socket)!.Value;
            replies.Add(await client.SendEndOfMessageAsync(CancellationToken.None));
            perEndOfMessage.Add(TcpInfo.DataSegmentsIn(socket)!.Value - before);
        }

        Assert.Multiple(() =>
        {
            Assert.That(noDelay, Is.True, "TCP_NODELAY on the accepted socket");
            Assert.That(negotiated - start, Is.EqualTo(1), "the OPTNEG reply in one segment");
            Assert.That(Frames.Codes(replies[0].Modifications), Is.EqualTo("miq"));
            Assert.That(replies[1].Modifications, Is.EqualTo(replies[0].Modifications));
            Assert.That(replies[0].Decision.Code, Is.EqualTo(MilterResponseCode.Continue));
            Assert.That(perEndOfMessage, Is.EqualTo(new uint[] { 1, 1 }), "edits and decision together in exactly one segment per end of message");
        });
        await client.SendQuitAsync(CancellationToken.None);
    }

    [Test]
    public async Task Many_concurrent_connections_with_several_messages_each()
    {
        RecordingHandlerFactory factory = Tagging();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory);
        await server.StartAsync(CancellationToken.None);

        async Task<int> RunClientAsync(int index)
        {
            await using MilterClient client = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
            await client.SendConnectAsync(Connect(index), CancellationToken.None);
            int accepted = 0;
            for (int i = 0; i < 5; i++)
            {
                MilterMessageResult result = await client.SendMessageAsync(Message($"m{i}"), CancellationToken.None);
                accepted += result.Action == MilterMessageAction.Accept && result.Modifications.Count == 3 ? 1 : 0;
            }

            await client.SendQuitAsync(CancellationToken.None);
            return accepted;
        }

        int[] counts = await Task.WhenAll(Enumerable.Range(1, 32).Select(RunClientAsync)).WaitAsync(s_timeout);
        Assert.That(counts, Is.All.EqualTo(5));
        Assert.That(factory.Created, Is.EqualTo(32));
        Assert.That(factory.Events.Count(e => e == "eom"), Is.EqualTo(160));
    }

    [Test]
    public async Task A_client_that_vanishes_mid_message_does_not_disturb_the_others()
    {
        RecordingHandlerFactory factory = Tagging();
        var logger = new ListLogger<MilterServer>();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory, logger);
        await server.StartAsync(CancellationToken.None);

        await using MilterClient steady = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
        await steady.SendConnectAsync(Connect(1), CancellationToken.None);
        Assert.That((await steady.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));

        MilterClient vanishing = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
        await vanishing.SendConnectAsync(Connect(2), CancellationToken.None);
        await vanishing.SendMailAsync("<x@example.org>", [], CancellationToken.None);
        await vanishing.SendHeaderAsync("Subject", "half", CancellationToken.None);
        await vanishing.DisposeAsync();

        await WaitUntilAsync(() => factory.Events.Contains("abort") && server.ActiveSessions == 1);
        Assert.That((await steady.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
        Assert.That(logger.Has(1712), Is.True, "the lost message is logged");
        Assert.That(logger.Has(1733), Is.False, "not as a fault");
    }

    [Test]
    public async Task An_unknown_command_closes_that_connection_only()
    {
        RecordingHandlerFactory factory = Tagging();
        var logger = new ListLogger<MilterServer>();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory, logger);
        await server.StartAsync(CancellationToken.None);
        await using MilterClient steady = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);

        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(server.LocalEndPoint!);
        await raw.SendAsync(Frames.Encode(new NegotiateCommand(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined)));
        await raw.SendAsync(Frames.Hex("00000001 5A"));
        byte[] received = new byte[256];
        int total = 0;
        while (true)
        {
            int read = await raw.ReceiveAsync(received.AsMemory(total)).AsTask().WaitAsync(s_timeout);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        Assert.That(total, Is.EqualTo(MilterLimits.FrameHeaderLength + NegotiateCommand.PayloadLength), "the OPTNEG reply, then the close");
        Assert.That(logger.Has(1711), Is.True);
        Assert.That((await steady.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Unix_socket_gets_its_mode_replaces_a_stale_file_and_is_removed_at_stop()
    {
        string path = Path.Combine(Path.GetTempPath(), $"af-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24] + ".sock");
        await File.WriteAllTextAsync(path, "stale");
        var logger = new ListLogger<MilterServer>();
        var options = new MilterServerOptions { Listen = MilterSocketSpec.Unix(path), UnixSocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        var server = new MilterServer(options, Tagging(), logger);
        await server.StartAsync(CancellationToken.None);
        try
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(logger.Has(1735), Is.True, "the stale file was replaced");
            await using MilterClient client = await MilterClient.ConnectAsync(MilterSocketSpec.Parse("unix:" + path), null, CancellationToken.None);
            await client.SendConnectAsync(new ConnectCommand("localhost", ConnectFamily.Local, 0, "/tmp/x"), CancellationToken.None);
            Assert.That((await client.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
            await client.SendQuitAsync(CancellationToken.None);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public async Task A_connection_beyond_the_session_limit_is_refused_at_once_and_logged()
    {
        var logger = new ListLogger<MilterServer>();
        var factory = Tagging();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0"), MaxSessions = 2 }, factory, logger);
        await server.StartAsync(CancellationToken.None);
        MilterClient first = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
        await using MilterClient second = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);

        // The third is closed by the server before it answers OPTNEG: the MTA sees the milter
        // fail at once and applies its default action, instead of waiting out its timeout.
        Exception? refused = Assert.CatchAsync(async () => await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None).WaitAsync(s_timeout));
        Assert.That(refused, Is.InstanceOf<IOException>().Or.InstanceOf<SocketException>().Or.InstanceOf<MilterProtocolException>());
        Assert.That(logger.Has(1736), Is.True, "the limit is logged");
        Assert.That(logger.Has(1739), Is.True, "the refused connection is logged");
        Assert.That((await second.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept), "open sessions are not disturbed");

        await first.SendQuitAsync(CancellationToken.None);
        await first.DisposeAsync();
        await WaitUntilAsync(() => server.ActiveSessions == 1);
        await using MilterClient served = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
        Assert.That(served.Negotiated, Is.Not.Null, "a slot freed is served again");
        await WaitUntilAsync(() => logger.Has(1740));
        Assert.That(factory.Created, Is.EqualTo(3), "the refused connection never reached a handler");
    }

    [Test]
    public async Task End_of_message_edits_and_decision_cross_the_wire_in_one_tcp_segment()
    {
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, Tagging());
        await server.StartAsync(CancellationToken.None);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.LocalEndPoint!);
        Assert.That(TcpInfo.IsSupported(socket), Is.True, "TCP_INFO with tcpi_data_segs_in (Linux 4.6+)");
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using var client = new MilterClient(new StreamDuplexPipe(stream));
        await client.NegotiateAsync(CancellationToken.None);
        await client.SendConnectAsync(Connect(), CancellationToken.None);
        await client.SendMailAsync("<alice@example.org>", [], CancellationToken.None);
        await client.SendRecipientAsync("<bob@example.net>", [], CancellationToken.None);
        await client.SendHeaderAsync("From", "alice@example.org", CancellationToken.None);
        await client.SendHeaderAsync("Authentication-Results", "mx.example.net; spf=pass", CancellationToken.None);
        await client.SendEndOfHeadersAsync(CancellationToken.None);
        await client.SendBodyAsync("Hello\r\n"u8.ToArray(), CancellationToken.None);

        // Every earlier reply has been read, so the counter moves only for the end of message.
        uint before = TcpInfo.DataSegmentsIn(socket)!.Value;
        MilterEndOfMessageReply reply = await client.SendEndOfMessageAsync(CancellationToken.None);
        uint after = TcpInfo.DataSegmentsIn(socket)!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(Frames.Codes(reply.Modifications), Is.EqualTo("miq"), "INSHEADER, CHGHEADER delete, QUARANTINE");
            Assert.That(reply.Decision.Code, Is.EqualTo(MilterResponseCode.Continue));
            Assert.That(after - before, Is.EqualTo(1), "the four responses arrived in one TCP segment");
        });
        await client.SendQuitAsync(CancellationToken.None);
    }

    [Test]
    public async Task Stop_drains_the_message_in_flight_and_refuses_new_connections()
    {
        var gate = new TaskCompletionSource();
        var factory = new RecordingHandlerFactory(s_observer) { EndOfMessageGate = gate };
        var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, factory);
        await server.StartAsync(CancellationToken.None);
        MilterSocketSpec spec = server.BoundSpec!;

        await using MilterClient idle = await MilterClient.ConnectAsync(spec, null, CancellationToken.None);
        await using MilterClient busy = await MilterClient.ConnectAsync(spec, null, CancellationToken.None);
        Task<MilterMessageResult> inFlight = busy.SendMessageAsync(Message(), CancellationToken.None);
        await WaitUntilAsync(() => factory.Events.Contains("eom"));

        Task stop = server.StopAsync(CancellationToken.None);
        Assert.That(await idle.WaitForCloseAsync(CancellationToken.None).WaitAsync(s_timeout), Is.True, "an idle session closes at once");
        Assert.That(stop.IsCompleted, Is.False, "a message is in flight");
        Assert.ThrowsAsync<SocketException>(async () => await MilterClient.ConnectAsync(spec, null, CancellationToken.None));

        gate.SetResult();
        MilterMessageResult result = await inFlight.WaitAsync(s_timeout);
        await stop.WaitAsync(s_timeout);
        Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept), "the message in flight got its answer");
        await server.DisposeAsync();
    }

    [Test]
    public async Task Stop_closes_what_is_left_after_the_drain_bound()
    {
        var gate = new TaskCompletionSource();
        var factory = new RecordingHandlerFactory(s_observer) { EndOfMessageGate = gate };
        var logger = new ListLogger<MilterServer>();
        var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0"), DrainTimeout = TimeSpan.FromMilliseconds(100) }, factory, logger);
        await server.StartAsync(CancellationToken.None);
        await using MilterClient busy = await MilterClient.ConnectAsync(server.BoundSpec!, null, CancellationToken.None);
        Task<MilterMessageResult> inFlight = busy.SendMessageAsync(Message(), CancellationToken.None);
        await WaitUntilAsync(() => factory.Events.Contains("eom"));

        await server.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
        Assert.That(logger.Has(1732), Is.True);
        Assert.That(server.ActiveSessions, Is.Zero);
        Assert.ThrowsAsync<IOException>(async () => await inFlight.WaitAsync(s_timeout));
        Assert.That(factory.Events[^1], Is.EqualTo("close"), "the handler was still closed");
        await server.DisposeAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
