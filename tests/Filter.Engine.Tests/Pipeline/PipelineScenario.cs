using System.Net;
using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Engine.Tests.Pipeline;

/// <summary>
/// Fictional domains in zone-file form, keys made in the test, and messages signed by
/// <see cref="DkimSigner"/>: the world the pipeline tests run in. DNS is zone data, never a mock.
/// </summary>
internal static class PipelineScenario
{
    public const string AuthservId = "mx.test.example";

    public static readonly IPAddress GoodClient = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress BadClient = IPAddress.Parse("198.51.100.7");

    private static readonly Lazy<RSA> Rsa = new(() => RSA.Create(2048));

    // Each domain allows 192.0.2.0/24 by SPF; the DMARC record decides the rest.
    private const string ZoneText = """
        $ORIGIN example.
        $TTL 300
        reject              TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.reject       TXT "v=DMARC1; p=reject"
        quarantine          TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.quarantine   TXT "v=DMARC1; p=quarantine"
        relaxed             TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.relaxed      TXT "v=DMARC1; p=none"
        slow                TXT "v=spf1 ip4:192.0.2.0/24 -all"
        ; authfilter: timeout _dmarc.slow TXT
        """;

    public static DnsZone Zone()
    {
        var zone = ZoneFileReader.Parse(ZoneText);
        foreach (var domain in new[] { "reject.example", "quarantine.example", "relaxed.example", "slow.example" })
        {
            zone.AddTxt("sel._domainkey." + domain, Key().KeyRecord);
        }

        return zone;
    }

    public static DkimSigningKey Key()
    {
        var copy = RSA.Create();
        copy.ImportParameters(Rsa.Value.ExportParameters(includePrivateParameters: true));
        return DkimSigningKey.FromRsa(copy);
    }

    public static FilterPolicy TestPolicy() => new() { AuthservId = AuthservId };

    public static MessageAuthenticationEngine NewEngine(IDnsResolver resolver, FilterPolicy? policy = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(resolver, policy ?? TestPolicy(), new ManualTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)), logger ?? NullLogger.Instance);

    public static byte[] NewMessage(string from, string extraHeaders = "", string body = "Hello,\r\n\r\nthis is a test.\r\n") =>
        Encoding.UTF8.GetBytes(
            extraHeaders
            + "From: " + from + "\r\n"
            + "To: <bob@receiver.example>\r\n"
            + "Subject: pipeline test\r\n"
            + "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
            + "Message-ID: <1@sender.example>\r\n"
            + "\r\n" + body);

    /// <summary>The message with a DKIM-Signature of <paramref name="domain"/> (selector sel) on top.</summary>
    public static byte[] Signed(byte[] message, string domain)
    {
        using var key = Key();
        var field = new DkimSigner(new DkimSignerOptions { Domain = domain, Selector = "sel", Key = key }).Sign(message);
        return [.. Encoding.Latin1.GetBytes(field + "\r\n"), .. message];
    }

    public static MessageEnvelope Envelope(IPAddress client, string mailFrom, string? authenticatedUser = null) =>
        new(new ClientConnection(client, "client.test.example", authenticatedUser), "client.test.example", mailFrom, ["bob@receiver.example"], "QID1");

    public static async Task<AuthenticationOutcome> RunAsync(MessageAuthenticationEngine engine, byte[] message, MessageEnvelope envelope)
    {
        using var stream = new MemoryStream(message, writable: false);
        return await engine.AuthenticateAsync(stream, envelope, CancellationToken.None);
    }
}
