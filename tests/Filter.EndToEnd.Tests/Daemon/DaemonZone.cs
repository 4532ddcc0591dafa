using System.Text;
using Filter.Engine.Dkim;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>
/// The DNS the daemon end-to-end tests serve from a zone file, and the DKIM key behind it. The
/// SMTP client connects to the MTA from 127.0.0.1, so SPF records allow or deny 127.0.0.1.
/// </summary>
internal static class DaemonZone
{
    /// <summary>The authserv-id in the policy; a header that arrives with it is forged.</summary>
    public const string AuthservId = "mx.authfilter-e2e.test";

    /// <summary>SPF allows 127.0.0.1, DKIM key at sel._domainkey, DMARC p=reject.</summary>
    public const string Good = "good.authfilter-e2e.test";

    /// <summary>SPF denies 127.0.0.1, no DKIM key, DMARC p=reject.</summary>
    public const string Reject = "reject.authfilter-e2e.test";

    /// <summary>SPF denies 127.0.0.1, no DKIM key, DMARC p=quarantine.</summary>
    public const string Quarantine = "quarantine.authfilter-e2e.test";

    /// <summary>Every TXT lookup at or under this name times out.</summary>
    public const string Slow = "slow.authfilter-e2e.test";

    public const string Selector = "sel";

    private static readonly byte[] s_seed = Encoding.ASCII.GetBytes("authfilter-e2e-daemon-seed-00001");

    public static DkimSigningKey CreateKey() => DkimSigningKey.FromEd25519Seed(s_seed);

    public static string Text()
    {
        using DkimSigningKey key = CreateKey();
        return $"""
            $TTL 300
            $ORIGIN {Good}.
            @               TXT "v=spf1 ip4:127.0.0.1 -all"
            {Selector}._domainkey  TXT "{key.KeyRecord}"
            _dmarc          TXT "v=DMARC1; p=reject"
            $ORIGIN {Reject}.
            @               TXT "v=spf1 -all"
            _dmarc          TXT "v=DMARC1; p=reject"
            $ORIGIN {Quarantine}.
            @               TXT "v=spf1 -all"
            _dmarc          TXT "v=DMARC1; p=quarantine"
            ; authfilter: timeout {Slow}. TXT
            ; authfilter: timeout _dmarc.{Slow}. TXT

            """;
    }

    /// <summary><paramref name="message"/> with a DKIM-Signature by <see cref="Good"/>'s key on top.</summary>
    public static byte[] Signed(byte[] message)
    {
        using DkimSigningKey key = CreateKey();
        var signer = new DkimSigner(new DkimSignerOptions { Domain = Good, Selector = Selector, Key = key });
        byte[] field = Encoding.ASCII.GetBytes(signer.Sign(message) + "\r\n");
        return [.. field, .. message];
    }
}
