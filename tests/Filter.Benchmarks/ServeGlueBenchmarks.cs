using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Glue;
using Filter.Host.Metrics;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
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
    private MilterClient _client = null!;
    private MilterClientMessage _message = null!;
    private Task _session = null!;
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
        var zone = new DnsZone();
        zone.AddTxt("example.org", "v=spf1 ip4:198.51.100.0/24 -all");
        zone.AddTxt("sel._domainkey.example.org", key.KeyRecord);
        zone.AddTxt("_dmarc.example.org", "v=DMARC1; p=reject");

        string headers = "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: Quarterly report\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <20261124100000.1234@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        byte[] unsigned = [.. Encoding.ASCII.GetBytes(headers), .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The figures are in the attached sheet, line by line.\r\n", 64)))];
        string signature = new DkimSigner(new DkimSignerOptions { Domain = "example.org", Selector = "sel", Key = key }).Sign(unsigned);
        byte[] raw = [.. Encoding.ASCII.GetBytes(signature + "\r\n"), .. unsigned];

        var policy = FilterPolicy.Default with { AuthservId = "mx.example.net" };
        var engine = new MessageAuthenticationEngine(new ZoneResolver(zone), policy, TimeProvider.System, NullLogger.Instance);
        _metrics = new FilterMetrics();
        var factory = new AuthenticationHandlerFactory(() => engine, _metrics, NullLogger.Instance);

        var toServer = new Pipe();
        var toClient = new Pipe();
        var session = new MilterSession(new Transport(toServer.Reader, toClient.Writer), factory, new MilterSessionInfo(1, "memory"), new MilterSessionOptions(), NullLogger.Instance);
        _session = Task.Run(() => session.RunAsync(CancellationToken.None));
        _client = new MilterClient(new Transport(toClient.Reader, toServer.Writer), new MilterClientOptions { CoalesceUnansweredCommands = !WriteEachCommand });
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
        if (first.Action != MilterMessageAction.Accept || first.HeaderEdits.Count != 1)
        {
            throw new InvalidOperationException($"The benchmark message must pass and get our header; got {first.Action}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.SendQuitAsync(CancellationToken.None).GetAwaiter().GetResult();
        _session.GetAwaiter().GetResult();
        _metrics.Dispose();
    }

    /// <summary>MAIL, RCPT, DATA, 8 headers, EOH, a 3.4 KiB body, EOM with SPF, DKIM and DMARC, ABORT.</summary>
    [Benchmark]
    public Task<MilterMessageResult> OneMessage() => _client.SendMessageAsync(_message, CancellationToken.None);

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
