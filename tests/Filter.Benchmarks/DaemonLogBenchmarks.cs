using BenchmarkDotNet.Attributes;
using Filter.Host;
using Filter.Host.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks;

/// <summary>
/// The daemon's one summary line per message (EventId 1000) as <c>authfilter serve</c> writes it:
/// through the logger factory into <see cref="LineLoggerProvider"/> (the caller's share: formatting
/// and queueing; the write happens on the log thread, to a null stream and without the batch
/// delay here, so that the buffer never reaches its bound), and with
/// logging off, which must cost next to nothing.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*DaemonLog*'
/// </summary>
[MemoryDiagnoser]
public class DaemonLogBenchmarks
{
    private LineLoggerProvider _provider = null!;
    private ILoggerFactory _factory = null!;
    private ILogger _logger = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new LineLoggerProvider(Stream.Null, journal: false, TimeProvider.System, batchDelay: TimeSpan.Zero);
        _factory = LoggerFactory.Create(logging => logging.AddProvider(_provider).SetMinimumLevel(LogLevel.Information));
        _logger = _factory.CreateLogger("Filter.Host.Glue");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _factory.Dispose();
        _provider.Dispose();
    }

    /// <summary>One MessageJudged line, formatted and queued.</summary>
    [Benchmark(Baseline = true)]
    public void SummaryLine() => HostLog.MessageJudged(_logger, "4QX2Lm0Zk9z", "mail.example.org[198.51.100.7]", "mail.example.org", "<alice@example.org>",
        "spf=pass dkim=pass(example.org) dmarc=pass(example.org)", "accept", "dmarc=pass", 0.412);

    /// <summary>The same call with logging off.</summary>
    [Benchmark]
    public void SummaryLineDisabled() => HostLog.MessageJudged(NullLogger.Instance, "4QX2Lm0Zk9z", "mail.example.org[198.51.100.7]", "mail.example.org", "<alice@example.org>",
        "spf=pass dkim=pass(example.org) dmarc=pass(example.org)", "accept", "dmarc=pass", 0.412);
}
