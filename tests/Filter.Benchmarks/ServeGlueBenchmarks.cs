using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Benchmarks.Support;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Glue;
using Filter.Host.Metrics;
using Filter.Milter.Client;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks;

/// <summary>
/// One message through the daemon's glue and the whole engine, as <c>authfilter serve</c> runs it,
/// minus the socket: a live <see cref="MilterSession"/> with the daemon's handler factory
/// (<see cref="AuthenticationHandlerFactory"/>, <see cref="MessageAuthenticationEngine"/>, metrics on),
/// DNS from zone data (warm, as with a filled cache), driven by <see cref="MilterClient"/> over
/// in-memory pipes. The message is DKIM-signed (Ed25519 or RSA-2048), SPF passes, DMARC passes:
/// SPF + DKIM + DMARC + our Authentication-Results + the milter's framing, both ends.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*ServeGlue*'
/// </summary>
[MemoryDiagnoser]
public class ServeGlueBenchmarks
{
    private InMemoryMilterRig _rig = null!;
    private MilterClientMessage _message = null!;
    private FilterMetrics _metrics = null!;

    /// <summary>The signing algorithm of the message's DKIM signature.</summary>
    [Params("ed25519-sha256", "rsa-sha256")]
    public string Algorithm { get; set; } = "ed25519-sha256";

    /// <summary>
    /// False: the client buffers the commands the milter does not answer, as Postfix does (one read
    /// per message for the session). True: one write per packet, as Sendmail does.
    /// </summary>
    [Params(false, true)]
    public bool WriteEachCommand { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using DkimSigningKey key = Algorithm == "rsa-sha256"
            ? DkimSigningKey.FromRsa(System.Security.Cryptography.RSA.Create(2048))
            : DkimSigningKey.FromEd25519Seed(Encoding.ASCII.GetBytes("authfilter-benchmark-seed-000001"));
        var policy = FilterPolicy.Default with { AuthservId = "mx.example.net" };
        var engine = new MessageAuthenticationEngine(new ZoneResolver(SignedReportMessage.Zone(key)), policy, TimeProvider.System, NullLogger.Instance);
        _metrics = new FilterMetrics();
        _rig = InMemoryMilterRig.Start(new AuthenticationHandlerFactory(() => engine, _metrics, NullLogger.Instance), WriteEachCommand);
        _message = SignedReportMessage.Create(key);
        MilterMessageResult first = _rig.Client.SendMessageAsync(_message, CancellationToken.None).GetAwaiter().GetResult();
        if (first.Action != MilterMessageAction.Accept || first.HeaderEdits.Count != 1)
        {
            throw new InvalidOperationException($"The benchmark message must pass and get our header; got {first.Action}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rig.Stop();
        _metrics.Dispose();
    }

    /// <summary>MAIL, RCPT, DATA, 8 headers, EOH, a 3.4 KiB body, EOM with SPF, DKIM and DMARC, ABORT.</summary>
    [Benchmark]
    public Task<MilterMessageResult> OneMessage() => _rig.Client.SendMessageAsync(_message, CancellationToken.None);
}
