using Filter.Host.Bench;
using Filter.Host.Cli;
using Filter.Host.Tests.Bench;
using Filter.Milter.Server;

namespace Filter.Host.Tests.Cli;

/// <summary><c>authfilter bench</c> end to end against an in-process milter, as the verb runs it.</summary>
public sealed class BenchCommandTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "authfilter-benchcmd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "a.eml"), "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hello\r\n\r\nHello\r\n");
        File.WriteAllText(Path.Combine(_folder, "b.eml"), "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: please reject\r\n\r\nNo\r\n");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase(null, TestName = "Bench reports its own allocation and GCs, back to back")]
    [TestCase(2000.0, TestName = "Bench reports its own allocation and GCs, paced")]
    public async Task The_report_says_what_the_load_tool_allocated(double? rate)
    {
        await using var server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Parse("inet:127.0.0.1:0") }, new SubjectVerdictHandlerFactory());
        await server.StartAsync(CancellationToken.None);
        var options = new BenchOptions(server.BoundSpec!, Connections: 2, Messages: 200) { Rate = rate };

        BenchReport? report = await BenchCommand.RunAsync(options, _folder, pid: null, idleConnections: null, TimeSpan.Zero, largeMessageMiB: null, probe: false, TextWriter.Null, CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        string text = report!.ToText();
        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Accepted, Is.EqualTo(100));
            Assert.That(report.Result.Rejected, Is.EqualTo(100));
            Assert.That(report.LoadToolAllocatedBytes, Is.Not.Null.And.GreaterThanOrEqualTo(0));
            Assert.That(report.LoadToolGen0Collections, Is.Not.Null.And.GreaterThanOrEqualTo(0));
            // The whole test process counts (the in-process milter too, in a Debug build): a sanity
            // bound only. The figure that matters comes from a Release bench against a daemon.
            Assert.That(report.LoadToolAllocatedBytesPerMessage, Is.LessThan(1024 * 1024));
            Assert.That(text, Does.Match(@"load tool alloc [0-9]+ bytes/message \([0-9]+ KiB over the run\), [0-9]+ gen0 GCs\n"));
        });
    }
}
