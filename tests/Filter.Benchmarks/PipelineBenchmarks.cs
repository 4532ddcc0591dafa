using System.Net;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks;

/// <summary>
/// One whole message through <see cref="MessageAuthenticator"/> with a warm cache (DNS from an in-memory
/// zone): SPF, DKIM (Ed25519 and RSA-2048), DMARC, the verdict and the Authentication-Results header,
/// with a 4 KiB and a 1 MiB body fed in 64 KiB chunks as the milter sends them. The stored-message
/// methods go through <see cref="MessageAuthenticationEngine.AuthenticateAsync(Stream, MessageEnvelope, CancellationToken)"/>
/// (the offline tools' path); <see cref="Rsa2048Body4KiBFedAsMilter"/> feeds the same message field by field
/// and the body in one chunk, as the daemon's glue does, so it shows the engine's per-message cost alone.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private MessageAuthenticationEngine _engine = null!;
    private MessageEnvelope _envelope = null!;
    private byte[] _ed25519Small = [];
    private byte[] _rsaSmall = [];
    private byte[] _ed25519Large = [];
    private (string Name, byte[] Value)[] _rsaFields = [];
    private byte[] _rsaBody = [];

    [GlobalSetup]
    public void Setup()
    {
        using var ed = DkimSigningKey.FromEd25519Seed(SHA256.HashData("authfilter pipeline benchmark"u8));
        using var rsa = DkimSigningKey.FromRsa(RSA.Create(2048));
        var zone = new DnsZone();
        zone.AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        zone.AddTxt("ed._domainkey.example.com", ed.KeyRecord);
        zone.AddTxt("rsa._domainkey.example.com", rsa.KeyRecord);
        _engine = new MessageAuthenticationEngine(new ZoneResolver(zone), new FilterPolicy { AuthservId = "mx.example.net" }, TimeProvider.System, NullLogger.Instance);
        _envelope = new MessageEnvelope(new ClientConnection(IPAddress.Parse("192.0.2.10"), null), "mail.example.com", "bounce@example.com", ["u@example.net"]);
        _ed25519Small = Signed(Message(4 * 1024), ed, "ed");
        _rsaSmall = Signed(Message(4 * 1024), rsa, "rsa");
        _ed25519Large = Signed(Message(1024 * 1024), ed, "ed");
        (_rsaFields, _rsaBody) = Split(_rsaSmall);
        var first = Rsa2048Body4KiBFedAsMilter().GetAwaiter().GetResult();
        if (first.Dkim.Count != 1 || first.Dkim[0].Code != DkimResultCode.Pass || first.Dmarc?.Code != Engine.Dmarc.DmarcResultCode.Pass)
        {
            throw new InvalidOperationException("The fed message must pass DKIM and DMARC: " + first.AuthenticationResults);
        }
    }

    [Benchmark]
    public Task<AuthenticationOutcome> Ed25519Body4KiB() => RunAsync(_ed25519Small);

    [Benchmark]
    public Task<AuthenticationOutcome> Rsa2048Body4KiB() => RunAsync(_rsaSmall);

    [Benchmark]
    public Task<AuthenticationOutcome> Ed25519Body1MiB() => RunAsync(_ed25519Large);

    [Benchmark]
    public Task<AuthenticationOutcome> Rsa2048Body4KiBFedAsMilter()
    {
        using var authenticator = _engine.StartMessage();
        authenticator.OnConnect(_envelope.Client);
        authenticator.OnHelo(_envelope.Helo);
        authenticator.OnMailFrom(_envelope.MailFrom, CancellationToken.None);
        authenticator.OnRecipient(_envelope.Recipients[0]);
        foreach (var (name, value) in _rsaFields)
        {
            authenticator.OnHeader(name, value);
        }

        authenticator.OnEndOfHeaders(CancellationToken.None);
        authenticator.OnBodyChunk(_rsaBody);
        return authenticator.CompleteAsync(CancellationToken.None);
    }

    private async Task<AuthenticationOutcome> RunAsync(byte[] message)
    {
        using var stream = new MemoryStream(message, writable: false);
        return await _engine.AuthenticateAsync(stream, _envelope, CancellationToken.None);
    }

    private static byte[] Message(int bodyBytes)
    {
        var body = new StringBuilder(bodyBytes + 80);
        while (body.Length < bodyBytes)
        {
            body.Append("The quick brown fox jumps over the lazy dog, again and again.\r\n");
        }

        return Encoding.ASCII.GetBytes("From: News <news@example.com>\r\nTo: u@example.net\r\nSubject: bench\r\nMessage-ID: <b@example.com>\r\n\r\n" + body);
    }

    /// <summary>Header fields (name, value bytes after the colon, folding kept, no final CRLF) and the body, as a milter delivers them.</summary>
    private static ((string Name, byte[] Value)[] Fields, byte[] Body) Split(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var fields = new List<(string, byte[])>();
        var start = 0;
        while (start < end + 2)
        {
            var lineEnd = text.IndexOf("\r\n", start, StringComparison.Ordinal);
            while (lineEnd + 2 < end + 2 && text[lineEnd + 2] is ' ' or '\t')
            {
                lineEnd = text.IndexOf("\r\n", lineEnd + 2, StringComparison.Ordinal);
            }

            var field = text[start..lineEnd];
            var colon = field.IndexOf(':');
            fields.Add((field[..colon], Encoding.ASCII.GetBytes(field[(colon + 1)..])));
            start = lineEnd + 2;
        }

        return ([.. fields], message[(end + 4)..]);
    }

    private static byte[] Signed(byte[] message, DkimSigningKey key, string selector)
    {
        var field = new DkimSigner(new DkimSignerOptions { Domain = "example.com", Selector = selector, Key = key }).Sign(message);
        return [.. Encoding.ASCII.GetBytes(field + "\r\n"), .. message];
    }
}
