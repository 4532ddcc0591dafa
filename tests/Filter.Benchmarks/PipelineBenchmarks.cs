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
/// with a 4 KiB and a 1 MiB body fed in 64 KiB chunks as the milter sends them.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private MessageAuthenticationEngine _engine = null!;
    private MessageEnvelope _envelope = null!;
    private byte[] _ed25519Small = [];
    private byte[] _rsaSmall = [];
    private byte[] _ed25519Large = [];

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
    }

    [Benchmark]
    public Task<AuthenticationOutcome> Ed25519Body4KiB() => RunAsync(_ed25519Small);

    [Benchmark]
    public Task<AuthenticationOutcome> Rsa2048Body4KiB() => RunAsync(_rsaSmall);

    [Benchmark]
    public Task<AuthenticationOutcome> Ed25519Body1MiB() => RunAsync(_ed25519Large);

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

    private static byte[] Signed(byte[] message, DkimSigningKey key, string selector)
    {
        var field = new DkimSigner(new DkimSignerOptions { Domain = "example.com", Selector = selector, Key = key }).Sign(message);
        return [.. Encoding.ASCII.GetBytes(field + "\r\n"), .. message];
    }
}
