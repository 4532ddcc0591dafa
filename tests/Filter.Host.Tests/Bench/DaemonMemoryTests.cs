using Filter.Host.Bench;
using Filter.Host.Tests.Hosting;
using Filter.Milter.Client;
using Filter.Milter.Server;

namespace Filter.Host.Tests.Bench;

/// <summary>
/// The memory acceptance of the milter issue, on the real daemon (DaemonHostBuilder, the glue,
/// SPF, DKIM and DMARC over zone data) over loopback sockets: 1,000 idle sessions, and one 50 MiB
/// message streamed in 64 KiB body chunks, each stay under a stated bound. Client and daemon share
/// this process, so the figures include the client's side too; <c>authfilter bench --pid</c>
/// measures the daemon alone (README, performance). The bounds are several times what was measured
/// (see the constants), tight enough to catch a buffer held per idle session or a body buffered whole.
/// </summary>
[NonParallelizable]
public sealed class DaemonMemoryTests
{
    /// <summary>Idle sessions held open at once, as the issue asks.</summary>
    private const int IdleSessions = 1000;

    /// <summary>
    /// Bound on managed heap growth with all idle sessions open, client and daemon together: 24 KiB
    /// per session (measured: about 11.5 KiB). A 64 KiB read segment kept per idle session (as
    /// before the read buffer was made small) would alone be 128 MiB.
    /// </summary>
    private const long IdleManagedBoundBytes = 24L * 1024 * 1024;

    /// <summary>Bound on peak RSS growth over opening, holding and closing the idle sessions: 48 MiB (measured: about 9 MiB).</summary>
    private const long IdlePeakBoundKiB = 48L * 1024;

    /// <summary>Body of the large message: 50 MiB, as the issue asks.</summary>
    private const long LargeBodyBytes = 50L * 1024 * 1024;

    /// <summary>
    /// Bound on peak RSS growth while the 50 MiB message goes through: 24 MiB, under half the
    /// message, so a daemon (or client) that buffered the body whole fails it (measured: about 2 MiB).
    /// </summary>
    private const long LargePeakBoundKiB = 24L * 1024;

    private const string Policy = "authserv-id: mx.test\nlimits:\n  sessions: 1100\n";

    [Test]
    public async Task A_thousand_idle_sessions_stay_under_the_stated_bound()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync(Policy);
        var options = new BenchOptions(daemon.Socket, 1, 0) { ClientAddress = TestMail.GoodClient };

        // Warm up: JIT, pools and the thread pool at the size the load needs.
        await MemoryProbe.IdleConnectionsAsync(options, 50, () => Task.CompletedTask, CancellationToken.None);
        (long managedBefore, long rssBefore) = Settle();

        long managedDuring = 0;
        int openDuring = 0;
        BenchResult tally = await MemoryProbe.IdleConnectionsAsync(options, IdleSessions, async () =>
        {
            await WaitUntilAsync(() => daemon.Milter.ActiveSessions >= IdleSessions);
            openDuring = daemon.Milter.ActiveSessions;
            managedDuring = GC.GetTotalMemory(forceFullCollection: true);
        }, CancellationToken.None);
        long peakGrowthKiB = ProcessStats.ReadMemory(Environment.ProcessId)!.HighWaterMarkKiB - rssBefore;
        long managedGrowth = managedDuring - managedBefore;
        await TestContext.Out.WriteLineAsync($"{IdleSessions} idle sessions: managed heap +{managedGrowth / 1024} KiB ({managedGrowth / IdleSessions} bytes/session), peak RSS +{peakGrowthKiB} KiB");

        Assert.Multiple(() =>
        {
            Assert.That(tally.Accepted, Is.EqualTo(IdleSessions));
            Assert.That(tally.ConnectFailures, Is.Zero);
            Assert.That(openDuring, Is.EqualTo(IdleSessions), "all sessions open at once in the daemon");
            Assert.That(managedGrowth, Is.LessThan(IdleManagedBoundBytes), "managed heap growth, bytes");
            Assert.That(peakGrowthKiB, Is.LessThan(IdlePeakBoundKiB), "peak RSS growth, KiB");
        });
    }

    [Test]
    public async Task A_thousand_idle_sessions_on_the_bare_server_stay_under_the_stated_bound()
    {
        await using var server = new MilterServer(
            new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0"), MaxSessions = 1100 }, new SubjectVerdictHandlerFactory());
        await server.StartAsync(CancellationToken.None);
        var options = new BenchOptions(server.BoundSpec!, 1, 0);
        await MemoryProbe.IdleConnectionsAsync(options, 50, () => Task.CompletedTask, CancellationToken.None);
        (long managedBefore, _) = Settle();

        long managedDuring = 0;
        BenchResult tally = await MemoryProbe.IdleConnectionsAsync(options, IdleSessions, async () =>
        {
            await WaitUntilAsync(() => server.ActiveSessions >= IdleSessions);
            managedDuring = GC.GetTotalMemory(forceFullCollection: true);
        }, CancellationToken.None);
        long managedGrowth = managedDuring - managedBefore;
        await TestContext.Out.WriteLineAsync($"{IdleSessions} idle sessions, bare server: managed heap +{managedGrowth / 1024} KiB ({managedGrowth / IdleSessions} bytes/session)");

        Assert.That(tally.Accepted, Is.EqualTo(IdleSessions));
        Assert.That(managedGrowth, Is.LessThan(IdleManagedBoundBytes), "managed heap growth, bytes");
    }

    [Test]
    public async Task A_fifty_mebibyte_message_streams_through_under_the_stated_bound()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync(Policy);

        // DKIM-signed by good.example over its whole body, so the daemon really hashes all 50 MiB.
        MilterClientMessage large = MilterClientMessage.Parse(TestMail.Signed(LargeMessageBytes()), "<alice@good.example>", ["<bob@example.net>"]);
        await using MilterClient client = await daemon.ConnectAsync();
        await client.SendMessageAsync(MilterClientMessage.Parse(TestMail.Signed(TestMail.Message("good.example")), "<alice@good.example>", ["<bob@example.net>"]), CancellationToken.None);
        (long managedBefore, long rssBefore) = Settle();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        MilterMessageResult result = await client.SendMessageAsync(large, CancellationToken.None);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long peakGrowthKiB = ProcessStats.ReadMemory(Environment.ProcessId)!.HighWaterMarkKiB - rssBefore;
        long managedGrowth = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        await TestContext.Out.WriteLineAsync($"50 MiB message: peak RSS +{peakGrowthKiB} KiB, allocated {allocated / 1024} KiB, managed heap after {managedGrowth / 1024:+0;-0} KiB");

        Assert.Multiple(() =>
        {
            Assert.That(large.Body.Length, Is.GreaterThan(LargeBodyBytes - 100));
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(result.Modifications.OfType<Filter.Milter.Protocol.InsertHeaderResponse>().Single().Value, Does.Contain("dkim=pass"), "the body was hashed whole and verified");
            Assert.That(peakGrowthKiB, Is.LessThan(LargePeakBoundKiB), "peak RSS growth, KiB");
        });
    }

    /// <summary>A message from good.example with a body of <see cref="LargeBodyBytes"/> in 78-byte lines.</summary>
    private static byte[] LargeMessageBytes()
    {
        byte[] head = TestMail.Message("good.example");
        int bodyStart = head.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        byte[] line = System.Text.Encoding.ASCII.GetBytes(new string('x', 76) + "\r\n");
        long lines = LargeBodyBytes / line.Length;
        byte[] message = new byte[bodyStart + (lines * line.Length)];
        head.AsSpan(0, bodyStart).CopyTo(message);
        for (long i = 0; i < lines; i++)
        {
            line.CopyTo(message, bodyStart + (i * line.Length));
        }

        return message;
    }

    /// <summary>Collects garbage, resets the peak RSS to now, and returns the managed heap and RSS (KiB) as the baseline.</summary>
    private static (long Managed, long RssKiB) Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        Assert.That(ProcessStats.ResetPeak(Environment.ProcessId), Is.True, "VmHWM can be reset (/proc/self/clear_refs)");
        return (managed, ProcessStats.ReadMemory(Environment.ProcessId)!.RssKiB);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
