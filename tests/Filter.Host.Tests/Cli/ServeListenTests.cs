using Filter.Host.Cli;
using Filter.Host.Configuration;
using Filter.Host.Hosting;
using Filter.Host.Tests.Hosting;
using Filter.Milter.Client;

namespace Filter.Host.Tests.Cli;

/// <summary>
/// <c>authfilter serve</c> on a socket another daemon holds refuses to start (exit 1, the socket
/// named in the error) and leaves the running daemon serving: an MTA must never have its
/// connections shared between two milters by accident.
/// </summary>
[NonParallelizable]
public sealed class ServeListenTests
{
    [Test]
    public async Task Serve_on_a_port_another_daemon_holds_exits_one_and_the_first_keeps_serving()
    {
        await using InProcessDaemon running = await InProcessDaemon.StartAsync();
        using var error = new StringWriter();

        int exit = await ServeCommand.RunAsync(
            new ServeOptions { ConfigPath = running.PolicyPath, Listen = [running.Socket], ZoneFiles = [Path.Combine(running.Directory, "test.zone")] },
            new PolicyFileLoader("localhost"), error, CancellationToken.None);

        MilterMessageResult result = await running.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error.ToString(), Does.Contain("cannot listen").And.Contain(running.Socket.ToString()).And.Contain("already in use"));
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept), "the running daemon still serves");
        });
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_on_a_unix_socket_a_running_daemon_owns_exits_one_and_leaves_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"af-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24] + ".sock");
        string directory = Path.Combine(Path.GetTempPath(), "authfilter-serve-unix-" + Guid.NewGuid().ToString("N"));
        await using InProcessDaemon running = await InProcessDaemon.StartAsync($"authserv-id: mx.test\nlisten:\n  - socket: unix:{path}\n", policyListen: true, directory: directory);
        using var error = new StringWriter();

        int exit = await ServeCommand.RunAsync(
            new ServeOptions { ConfigPath = running.PolicyPath, ZoneFiles = [Path.Combine(running.Directory, "test.zone")] },
            new PolicyFileLoader("localhost"), error, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error.ToString(), Does.Contain("cannot listen").And.Contain(path).And.Contain("another process is listening"));
            Assert.That(File.Exists(path), Is.True, "the running daemon's socket file is left in place");
        });
        await using MilterClient client = await MilterClient.ConnectAsync(running.Socket, null, CancellationToken.None);
        Assert.That(client.Negotiated, Is.Not.Null, "the running daemon still answers on it");
    }
}
