using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Host.Tests.Hosting;

/// <summary>
/// The DNS and messages the daemon tests use: a zone file written with the public key of a test
/// DKIM key (Ed25519 from a fixed seed), and messages signed with the engine's <see cref="DkimSigner"/>.
/// </summary>
internal static class TestMail
{
    /// <summary>The address the good domains' SPF records allow.</summary>
    public const string GoodClient = "192.0.2.10";

    /// <summary>An address no SPF record allows.</summary>
    public const string StrangerClient = "198.51.100.99";

    private static readonly byte[] s_seed = Encoding.ASCII.GetBytes("authfilter-serve-tests-seed-0001");

    public static DkimSigningKey CreateKey() => DkimSigningKey.FromEd25519Seed(s_seed);

    /// <summary>
    /// good.example: SPF allows 192.0.2.10, a DKIM key at sel._domainkey, DMARC p=reject.
    /// reject.example: the same policy, no key. slow.example: its DMARC lookup times out.
    /// </summary>
    public static string Zone()
    {
        using DkimSigningKey key = CreateKey();
        return $"""
            $TTL 300
            $ORIGIN good.example.
            @               TXT "v=spf1 ip4:{GoodClient} -all"
            sel._domainkey  TXT "{key.KeyRecord}"
            _dmarc          TXT "v=DMARC1; p=reject"
            $ORIGIN reject.example.
            @               TXT "v=spf1 ip4:{GoodClient} -all"
            _dmarc          TXT "v=DMARC1; p=reject"
            $ORIGIN quarantine.example.
            @               TXT "v=spf1 ip4:{GoodClient} -all"
            _dmarc          TXT "v=DMARC1; p=quarantine"
            $ORIGIN slow.example.
            @               TXT "v=spf1 ip4:{GoodClient} -all"
            ; authfilter: timeout _dmarc.slow.example. TXT

            """;
    }

    /// <summary>A message from <paramref name="fromDomain"/>, with <paramref name="extraHeaders"/> on top (CRLF-terminated lines).</summary>
    public static byte[] Message(string fromDomain, string extraHeaders = "")
    {
        string text = extraHeaders
            + $"From: Alice <alice@{fromDomain}>\r\n"
            + "To: Bob <bob@example.net>\r\n"
            + "Subject: quarterly figures\r\n"
            + "Date: Wed, 25 Nov 2026 21:00:00 +0000\r\n"
            + $"Message-ID: <1@{fromDomain}>\r\n"
            + "\r\n"
            + "Hello Bob,\r\n\r\nthe figures are attached.\r\n";
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>The message with a DKIM-Signature by good.example's key on top.</summary>
    public static byte[] Signed(byte[] message)
    {
        using DkimSigningKey key = CreateKey();
        var signer = new DkimSigner(new DkimSignerOptions { Domain = "good.example", Selector = "sel", Key = key });
        string field = signer.Sign(message);
        byte[] header = Encoding.ASCII.GetBytes(field + "\r\n");
        return [.. header, .. message];
    }
}
