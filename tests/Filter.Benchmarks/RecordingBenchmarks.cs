using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Host.Configuration;
using Filter.Host.Glue;
using Filter.Host.Metrics;
using Filter.Host.Recording;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
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
    private MilterClient _client = null!;
    private MilterClientMessage _message = null!;
    private Task _session = null!;
    private FilterMetrics _metrics = null!;
    private string _directory = null!;

    /// <summary>Whether the policy records every message.</summary>
    [Params(false, true)]
    public bool Recording { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using DkimSigningKey key = DkimSigningKey.FromEd25519Seed(Encoding.ASCII.GetBytes("authfilter-benchmark-seed-000001"));
        var zone = new DnsZone();
        zone.AddTxt("example.org", "v=spf1 ip4:198.51.100.0/24 -all");
        zone.AddTxt("sel._domainkey.example.org", key.KeyRecord);
        zone.AddTxt("_dmarc.example.org", "v=DMARC1; p=reject");

        string headers = "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: Quarterly report\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <20261124100000.1234@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        byte[] unsigned = [.. Encoding.ASCII.GetBytes(headers), .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The figures are in the attached sheet, line by line.\r\n", 64)))];
        string signature = new DkimSigner(new DkimSignerOptions { Domain = "example.org", Selector = "sel", Key = key }).Sign(unsigned);
        byte[] raw = [.. Encoding.ASCII.GetBytes(signature + "\r\n"), .. unsigned];

        _directory = Path.Combine(Path.GetTempPath(), "authfilter-recording-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string policyPath = Path.Combine(_directory, "filter.yaml");
        File.WriteAllText(policyPath, $"authserv-id: mx.example.net\nrecording:\n  enabled: {(Recording ? "true" : "false")}\n  directory: \"{Path.Combine(_directory, "recordings")}\"\n");
        var loader = new PolicyFileLoader("localhost");
        var policy = loader.Load(policyPath).Policy ?? throw new InvalidOperationException("the benchmark policy loads");
        var engine = new MessageAuthenticationEngine(new ZoneResolver(zone), policy, TimeProvider.System, NullLogger.Instance);
        var recorder = new MessageRecorder(policyPath, loader, new RecordingSampler(1), TimeProvider.System, NullLogger.Instance);
        _metrics = new FilterMetrics();
        var factory = new AuthenticationHandlerFactory(() => engine, _metrics, NullLogger.Instance, recorder);

        var toServer = new Pipe();
        var toClient = new Pipe();
        var session = new MilterSession(new Transport(toServer.Reader, toClient.Writer), factory, new MilterSessionInfo(1, "memory"), new MilterSessionOptions(), NullLogger.Instance);
        _session = Task.Run(() => session.RunAsync(CancellationToken.None));
        _client = new MilterClient(new Transport(toClient.Reader, toServer.Writer));
        _client.NegotiateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _client.SendConnectAsync(new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7"), CancellationToken.None).GetAwaiter().GetResult();
        _client.SendHeloAsync("client.example.org", CancellationToken.None).GetAwaiter().GetResult();
        _message = MilterClientMessage.Parse(raw, "<alice@example.org>", ["<bob@example.net>"]) with
        {
            Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
            {
                [MilterCommandCode.EndOfMessage] = [new("i", "4QX2Lm0Zk9z")],
            },
        };
        MilterMessageResult first = _client.SendMessageAsync(_message, CancellationToken.None).GetAwaiter().GetResult();
        bool recorded = File.Exists(Path.Combine(_directory, "recordings", "manifest.yaml"));
        if (first.Action != MilterMessageAction.Accept || recorded != Recording)
        {
            throw new InvalidOperationException($"The benchmark message must pass and be recorded only when asked; got {first.Action}, recorded {recorded}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.SendQuitAsync(CancellationToken.None).GetAwaiter().GetResult();
        _session.GetAwaiter().GetResult();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One message through the glue, recorded or not.</summary>
    [Benchmark]
    public Task<MilterMessageResult> OneMessage() => _client.SendMessageAsync(_message, CancellationToken.None);

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
