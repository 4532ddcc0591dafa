using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Benchmarks.Support;

/// <summary>
/// The daemon benchmarks' message: a 3.4 KiB plain-text report from alice@example.org, DKIM-signed
/// with the given key (selector sel), sent from 198.51.100.7, with the DNS that makes SPF, DKIM and
/// DMARC (p=reject) pass. Shared so that the glue and recording figures describe the same work.
/// </summary>
internal static class SignedReportMessage
{
    public static DnsZone Zone(DkimSigningKey key)
    {
        var zone = new DnsZone();
        zone.AddTxt("example.org", "v=spf1 ip4:198.51.100.0/24 -all");
        zone.AddTxt("sel._domainkey.example.org", key.KeyRecord);
        zone.AddTxt("_dmarc.example.org", "v=DMARC1; p=reject");
        return zone;
    }

    public static MilterClientMessage Create(DkimSigningKey key)
    {
        string headers = "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: Quarterly report\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <20261124100000.1234@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        byte[] unsigned = [.. Encoding.ASCII.GetBytes(headers), .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The figures are in the attached sheet, line by line.\r\n", 64)))];
        string signature = new DkimSigner(new DkimSignerOptions { Domain = "example.org", Selector = "sel", Key = key }).Sign(unsigned);
        byte[] raw = [.. Encoding.ASCII.GetBytes(signature + "\r\n"), .. unsigned];
        return MilterClientMessage.Parse(raw, "<alice@example.org>", ["<bob@example.net>"]) with
        {
            Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
            {
                [MilterCommandCode.EndOfMessage] = [new("i", "4QX2Lm0Zk9z")],
            },
        };
    }
}
