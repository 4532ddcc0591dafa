using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dkim;

/// <summary>Keys, messages and zone data shared by the DKIM tests. DNS is zone data (DnsZone), never a mock.</summary>
internal static class DkimTestSupport
{
    public const string Domain = "example.com";

    private static readonly Lazy<RSA> Rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> Rsa1024 = new(() => RSA.Create(1024));
    private static readonly Lazy<RSA> Rsa512 = new(() => RSA.Create(512));

    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Ed25519Seed { get; } = SHA256.HashData("authfilter dkim test key"u8);

    public static DkimSigningKey RsaKey(int bits = 2048)
    {
        var source = bits switch
        {
            2048 => Rsa2048.Value,
            1024 => Rsa1024.Value,
            512 => Rsa512.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(bits)),
        };
        var copy = RSA.Create();
        copy.ImportParameters(source.ExportParameters(includePrivateParameters: true));
        return DkimSigningKey.FromRsa(copy);
    }

    /// <summary>The 2048-bit key of <see cref="RsaKey"/> as PKCS#1 PEM (for MimeKit's signer).</summary>
    public static string RsaPrivatePem() => Rsa2048.Value.ExportRSAPrivateKeyPem();

    public static DkimSigningKey Ed25519Key() => DkimSigningKey.FromEd25519Seed(Ed25519Seed);

    public static byte[] Message(string headers, string body) => Encoding.UTF8.GetBytes(headers + "\r\n" + body);

    public static byte[] SampleMessage(string body = "Hello,\r\n\r\nThis is  a test.  \r\n\r\n\r\n") => Message(
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.net>\r\n"
        + "Subject: Test\r\n"
        + "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
        + "Message-ID: <1@example.com>\r\n",
        body);

    public static byte[] Signed(byte[] message, DkimSignerOptions options)
    {
        var field = new DkimSigner(options).Sign(message);
        return [.. Encoding.Latin1.GetBytes(field + "\r\n"), .. message];
    }

    public static DkimSignerOptions Options(DkimSigningKey key, string selector = "sel") => new()
    {
        Domain = Domain,
        Selector = selector,
        Key = key,
    };

    public static DnsZone ZoneWith(string selector, string record)
    {
        var zone = new DnsZone();
        zone.AddTxt($"{selector}._domainkey.{Domain}", record);
        return zone;
    }

    public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(byte[] message, DnsZone zone, DkimVerifierOptions? options = null, DateTimeOffset? now = null)
    {
        var verifier = new DkimVerifier(new ZoneResolver(zone), options, new FixedTimeProvider(now ?? Now));
        using var stream = new MemoryStream(message);
        return await verifier.VerifyAsync(stream, CancellationToken.None);
    }

    public static byte[] Replace(byte[] message, string from, string to)
    {
        var text = Encoding.Latin1.GetString(message);
        var index = text.IndexOf(from, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new ArgumentException($"'{from}' is not in the message.", nameof(from));
        }

        return Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, index), to, text.AsSpan(index + from.Length)));
    }

    /// <summary>A clock that stands still: t= and x= tests need a known "now".</summary>
    public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
