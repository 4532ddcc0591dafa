using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Server;
using Filter.Milter.Session;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Server;

/// <summary>
/// A milter never shares its address: a second daemon on a taken TCP port or on a live Unix
/// socket file fails to start (and leaves the first one alone), while a restart over connections
/// in TIME_WAIT and over a stale socket file still works.
/// </summary>
public sealed class MilterListenerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static readonly MilterCapabilities s_observer = new(MilterSteps.All, MilterSteps.None, MilterActionFlags.AddHeaders, []);

    private static MilterClientMessage Message() => MilterClientMessage.Parse(
        System.Text.Encoding.ASCII.GetBytes("From: alice@example.org\r\nSubject: Hi\r\n\r\nHello\r\n"), "<alice@example.org>", ["<bob@example.net>"]);

    private static ConnectCommand Connect() => new("client.example.org", ConnectFamily.Inet, 1234, "192.0.2.1");

    [Test]
    public async Task A_second_server_on_a_taken_port_fails_with_a_clear_error_and_the_first_keeps_serving()
    {
        var firstFactory = new RecordingHandlerFactory(s_observer);
        await using var first = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, firstFactory);
        await first.StartAsync(CancellationToken.None);
        MilterSocketSpec taken = first.BoundSpec!;

        var logger = new ListLogger<MilterServer>();
        var secondFactory = new RecordingHandlerFactory(s_observer);
        var second = new MilterServer(new MilterServerOptions { Listen = taken }, secondFactory, logger);
        SocketException? failure = Assert.ThrowsAsync<SocketException>(() => second.StartAsync(CancellationToken.None));
        await second.DisposeAsync();

        // Several connections: with a shared port (SO_REUSEPORT) the kernel would spread them
        // over both listeners, and the second factory would see some of them.
        for (int i = 0; i < 8; i++)
        {
            await using MilterClient client = await MilterClient.ConnectAsync(taken, null, CancellationToken.None);
            await client.SendConnectAsync(Connect(), CancellationToken.None);
            Assert.That((await client.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
            await client.SendQuitAsync(CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(failure!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
            Assert.That(failure.Message, Does.Contain(taken.ToString()).And.Contain("already in use"));
            Assert.That(logger.Has(1738), Is.True, "the failure is logged");
            Assert.That(secondFactory.Created, Is.Zero, "the second server never served");
            Assert.That(firstFactory.Created, Is.EqualTo(8), "every connection went to the first server");
        });
    }

    [Test]
    public async Task A_restart_binds_while_the_previous_run_left_connections_in_time_wait()
    {
        MilterSocketSpec spec;
        var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, new RecordingHandlerFactory(s_observer));
        await server.StartAsync(CancellationToken.None);
        spec = server.BoundSpec!;
        MilterClient client = await MilterClient.ConnectAsync(spec, null, CancellationToken.None);
        await client.SendConnectAsync(Connect(), CancellationToken.None);

        // The server closes the idle session first, so its end (local port = the listening port)
        // is the one that goes to TIME_WAIT, as when a daemon restarts under an MTA.
        await server.StopAsync(CancellationToken.None).WaitAsync(s_timeout);
        Assert.That(await client.WaitForCloseAsync(CancellationToken.None).WaitAsync(s_timeout), Is.True);
        await client.DisposeAsync();
        await server.DisposeAsync();
        await WaitUntilAsync(() => HasTimeWait(spec.Port));

        await using var restarted = new MilterServer(new MilterServerOptions { Listen = spec }, new RecordingHandlerFactory(s_observer));
        await restarted.StartAsync(CancellationToken.None);
        await using MilterClient again = await MilterClient.ConnectAsync(spec, null, CancellationToken.None);
        await again.SendConnectAsync(Connect(), CancellationToken.None);
        Assert.That((await again.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_second_server_on_a_live_unix_socket_fails_and_leaves_the_file_to_the_first()
    {
        string path = SocketPath();
        var firstFactory = new RecordingHandlerFactory(s_observer);
        var first = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Unix(path) }, firstFactory);
        await first.StartAsync(CancellationToken.None);
        try
        {
            var logger = new ListLogger<MilterServer>();
            var second = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Unix(path) }, new RecordingHandlerFactory(s_observer), logger);
            SocketException? failure = Assert.ThrowsAsync<SocketException>(() => second.StartAsync(CancellationToken.None));

            // Its stop must not remove the file it never bound.
            await second.DisposeAsync();

            Assert.Multiple(() =>
            {
                Assert.That(failure!.SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
                Assert.That(failure.Message, Does.Contain(path).And.Contain("another process is listening"));
                Assert.That(logger.Has(1738), Is.True, "the failure is logged");
                Assert.That(logger.Has(1735), Is.False, "no stale file was removed");
                Assert.That(File.Exists(path), Is.True, "the live socket file is still there");
            });

            await using MilterClient client = await MilterClient.ConnectAsync(MilterSocketSpec.Unix(path), null, CancellationToken.None);
            await client.SendConnectAsync(new ConnectCommand("localhost", ConnectFamily.Local, 0, "/tmp/x"), CancellationToken.None);
            Assert.That((await client.SendMessageAsync(Message(), CancellationToken.None)).Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(firstFactory.Created, Is.EqualTo(1), "the first server still serves on its file");
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.That(File.Exists(path), Is.False, "the first server removed its own file at stop");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_socket_file_left_by_a_dead_listener_is_replaced()
    {
        string path = SocketPath();

        // A listener that went away without removing its file, as after a crash (SIGKILL). The
        // runtime removes the file of a socket it bound when the socket is disposed, so the file
        // is moved away from under the socket first.
        string bound = path + ".tmp";
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            dead.Listen(1);
            File.Move(bound, path);
        }

        Assert.That(File.Exists(path), Is.True, "a socket file with no listener");
        var logger = new ListLogger<MilterServer>();
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Unix(path) }, new RecordingHandlerFactory(s_observer), logger);
        await server.StartAsync(CancellationToken.None);
        Assert.That(logger.Has(1735), Is.True, "the stale file was replaced");
        await using MilterClient client = await MilterClient.ConnectAsync(MilterSocketSpec.Unix(path), null, CancellationToken.None);
        Assert.That(client.Negotiated, Is.Not.Null);
    }

    [Test]
    public void The_tcp_listener_sets_so_reuseaddr_and_never_so_reuseport()
    {
        using Socket listener = MilterListener.BindTcp(MilterSocketSpec.Parse("inet:127.0.0.1:0"), IPAddress.Loopback, 16);
        byte[] value = new byte[4];

        // Linux SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_REUSEPORT = 15 (asm-generic/socket.h).
        listener.GetRawSocketOption(1, 2, value);
        int reuseAddress = BitConverter.ToInt32(value);
        listener.GetRawSocketOption(1, 15, value);
        int reusePort = BitConverter.ToInt32(value);
        Assert.Multiple(() =>
        {
            Assert.That(reuseAddress, Is.Not.Zero, "SO_REUSEADDR: a restart binds over TIME_WAIT");
            Assert.That(reusePort, Is.Zero, "SO_REUSEPORT would let a second process share the port");
        });
    }

    private static string SocketPath() =>
        Path.Combine(Path.GetTempPath(), $"af-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24] + ".sock");

    /// <summary>Whether /proc/net/tcp lists a loopback connection in TIME_WAIT (state 06) on local port <paramref name="port"/>.</summary>
    private static bool HasTimeWait(int port)
    {
        string portHex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string line in File.ReadLines("/proc/net/tcp"))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[1].EndsWith(portHex, StringComparison.Ordinal) && fields[3] == "06")
            {
                return true;
            }
        }

        return false;
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
