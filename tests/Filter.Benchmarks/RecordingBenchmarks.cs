using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Benchmarks.Support;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Host.Configuration;
using Filter.Host.Glue;
using Filter.Host.Metrics;
using Filter.Host.Recording;
using Filter.Milter.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks;

/// <summary>
/// What recording (issue 6 item 6) costs the daemon per message: the daemon's glue with its
/// <see cref="MessageRecorder"/>, policy loaded from a file, recording off (the default: one check at MAIL
/// FROM) and on at sample-rate 1 (message streamed to disk, DNS recorded, entry and manifest written).
/// The same signed 3.4 KiB message as <see cref="ServeGlueBenchmarks"/>, Ed25519, SPF/DKIM/DMARC pass.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*Recording*'
/// </summary>
[MemoryDiagnoser]
public class RecordingBenchmarks
{
    private InMemoryMilterRig _rig = null!;
    private MilterClientMessage _message = null!;
    private FilterMetrics _metrics = null!;
    private string _directory = null!;

    /// <summary>Whether the policy records every message.</summary>
    [Params(false, true)]
    public bool Recording { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using DkimSigningKey key = DkimSigningKey.FromEd25519Seed(Encoding.ASCII.GetBytes("authfilter-benchmark-seed-000001"));
        _directory = Path.Combine(Path.GetTempPath(), "authfilter-recording-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string policyPath = Path.Combine(_directory, "filter.yaml");
        File.WriteAllText(policyPath, $"authserv-id: mx.example.net\nrecording:\n  enabled: {(Recording ? "true" : "false")}\n  directory: \"{Path.Combine(_directory, "recordings")}\"\n");
        var loader = new PolicyFileLoader("localhost");
        var policy = loader.Load(policyPath).Policy ?? throw new InvalidOperationException("the benchmark policy loads");
        var engine = new MessageAuthenticationEngine(new ZoneResolver(SignedReportMessage.Zone(key)), policy, TimeProvider.System, NullLogger.Instance);
        var recorder = new MessageRecorder(policyPath, loader, new RecordingSampler(1), TimeProvider.System, NullLogger.Instance);
        _metrics = new FilterMetrics();
        _rig = InMemoryMilterRig.Start(new AuthenticationHandlerFactory(() => engine, _metrics, NullLogger.Instance, recorder), writeEachCommand: false);
        _message = SignedReportMessage.Create(key);
        MilterMessageResult first = _rig.Client.SendMessageAsync(_message, CancellationToken.None).GetAwaiter().GetResult();
        bool recorded = File.Exists(Path.Combine(_directory, "recordings", "manifest.yaml"));
        if (first.Action != MilterMessageAction.Accept || recorded != Recording)
        {
            throw new InvalidOperationException($"The benchmark message must pass and be recorded only when asked; got {first.Action}, recorded {recorded}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rig.Stop();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One message through the glue, recorded or not.</summary>
    [Benchmark]
    public Task<MilterMessageResult> OneMessage() => _rig.Client.SendMessageAsync(_message, CancellationToken.None);
}
