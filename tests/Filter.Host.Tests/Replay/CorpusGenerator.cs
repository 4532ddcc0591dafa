using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Message;
using Filter.Testing;

namespace Filter.Host.Tests.Replay;

/// <summary>
/// Writes <c>samples/corpus</c>: fictional domains (.example), their zone file, a policy, messages signed
/// here with <see cref="DkimSigner"/> (Ed25519 from fixed seeds and committed RSA test keys, all
/// deterministic) and a manifest whose expectations are written by hand from the RFCs, not copied from
/// a run. The entries themselves are in CorpusGenerator.Entries.cs, grouped by theme. The output is
/// committed; <see cref="CorpusGeneratorTests"/> proves it is exactly what this code writes, and that
/// replaying it meets every expectation. <see cref="WriteHeloCorpus"/> writes the small second corpus
/// whose policy turns on <c>spf.check-helo</c>.
/// </summary>
internal static partial class CorpusGenerator
{
    public const string AuthservId = "mx.receiver.example";
    private const string Inside = "192.0.2.25";     // listed in the senders' SPF records
    private const string Outside = "203.0.113.66";  // nobody's designated sender
    private const string ListServer = "198.51.100.20";

    private static readonly string[] Zone =
    [
        "; Fictional domains for the authfilter sample corpus (RFC 2606 .example names).",
        "$ORIGIN example.",
        "$TTL 3600",
        "bank                 TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.bank          TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"",
        "mta.bank             TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "mta.bank             A   192.0.2.25",
        "sub.bank             A   192.0.2.26",
        "shop                 TXT \"v=spf1 ip4:192.0.2.0/24 ~all\"",
        "_dmarc.shop          TXT \"v=DMARC1; p=quarantine\"",
        "news                 TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.news          TXT \"v=DMARC1; p=none\"",
        "nodmarc              TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "slow                 TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "; authfilter: timeout _dmarc.slow TXT",
        "lists                TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
        "_dmarc.lists         TXT \"v=DMARC1; p=reject\"",
        "mailbox-provider     TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.mailbox-provider TXT \"v=DMARC1; p=reject\"",
        "; the look-alike and the throwaway domain publish SPF for the attacker and no DMARC",
        "amzon                TXT \"v=spf1 ip4:203.0.113.0/24 -all\"",
        "qx7rt-mailer         TXT \"v=spf1 ip4:203.0.113.0/24 -all\"",
        "; --- SPF results (RFC 7208 2.6) ---",
        "neutral              TXT \"v=spf1 ip4:192.0.2.0/24 ?all\"",
        "_dmarc.neutral       TXT \"v=DMARC1; p=quarantine\"",
        "; an unknown mechanism is a syntax error: permerror (RFC 7208 4.6)",
        "typo-spf             TXT \"v=spf1 ip4:192.0.2.0/24 frobnicate -all\"",
        "_dmarc.typo-spf      TXT \"v=DMARC1; p=reject\"",
        "; includes itself: the 11th DNS-querying term is a permerror (RFC 7208 4.6.4)",
        "loop                 TXT \"v=spf1 include:loop.example -all\"",
        "_dmarc.loop          TXT \"v=DMARC1; p=none\"",
        "; three names that do not exist before the ip4 term: more than 2 void lookups, permerror (RFC 7208 4.6.4)",
        "voids                TXT \"v=spf1 a:nx1.voids.example a:nx2.voids.example a:nx3.voids.example ip4:192.0.2.0/24 -all\"",
        "; two SPF records: permerror (RFC 7208 4.5)",
        "twospf               TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "twospf               TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
        "_dmarc.twospf        TXT \"v=DMARC1; p=reject\"",
        "; authfilter: servfail spf-servfail TXT",
        "_dmarc.spf-servfail  TXT \"v=DMARC1; p=reject\"",
        "; --- DKIM keys that cannot verify ---",
        "revoked._domainkey.bank TXT \"v=DKIM1; k=ed25519; p=\"",
        "; authfilter: timeout slowkey._domainkey.bank TXT",
        "; --- DMARC alignment, t=, subdomains, PSD ---",
        "mail.bank            TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "strict               TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.strict        TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"",
        "mail.strict          TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "testing              TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.testing       TXT \"v=DMARC1; p=reject; t=y\"",
        "dept.bank            TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.dept.bank     TXT \"v=DMARC1; p=none\"",
        "; registry.example plays a public suffix operator that publishes a PSD record (RFC 9989 4.10)",
        "_dmarc.registry      TXT \"v=DMARC1; p=reject; psd=y\"",
        "acme.registry        TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "flaky                TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "; authfilter: servfail _dmarc.flaky TXT",
        "x.walk               TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "; authfilter: servfail _dmarc.walk TXT",
        "; --- IDN: xn--r8jz45g is the A-label of the U-label used in the From field ---",
        "xn--r8jz45g          TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.xn--r8jz45g   TXT \"v=DMARC1; p=reject\"",
        "; --- phishing: a look-alike that set up SPF, DKIM and DMARC properly; a provider at p=none ---",
        "amaz0n-jp            TXT \"v=spf1 ip4:203.0.113.0/24 -all\"",
        "_dmarc.amaz0n-jp     TXT \"v=DMARC1; p=reject\"",
        "webmail-provider     TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.webmail-provider TXT \"v=DMARC1; p=none\"",
    ];

    // Domains that publish the corpus keys at ed._domainkey and rsa._domainkey.
    private static readonly string[] SigningDomains =
    [
        "bank", "news", "lists", "mailbox-provider", "sub.bank",
        "neutral", "typo-spf", "twospf", "spf-servfail", "mail.bank", "strict", "mail.strict",
        "mail.acme.registry", "xn--r8jz45g", "amaz0n-jp",
    ];

    private const string Policy = """
        # Policy the sample corpus expectations are written for: the shipped defaults, with a fixed
        # authserv-id so forged Authentication-Results are recognised on every machine.
        authserv-id: mx.receiver.example
        """;

    /// <summary>Writes the corpus into <paramref name="directory"/> (created; existing files overwritten).</summary>
    public static void Write(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "zones"));
        using var keys = CorpusKeys.Load();
        var zone = new List<string>(Zone);
        foreach (var domain in SigningDomains)
        {
            zone.Add($"ed._domainkey.{domain,-20} TXT \"{keys.Ed25519.KeyRecord}\"");
            zone.Add($"rsa._domainkey.{domain,-19} TXT {Split(keys.Rsa.KeyRecord)}");
        }

        // RFC 8301 3.2: a 512-bit key, published only for the entry that shows it is refused.
        zone.Add($"short._domainkey.bank              TXT {Split(keys.ShortRsa.KeyRecord)}");

        WriteText(Path.Combine(directory, "zones", "corpus.zone"), string.Join('\n', zone) + "\n");
        WriteText(Path.Combine(directory, "policy.yaml"), Policy + "\n");

        var manifest = new CorpusManifestWriter(directory,
            "# authfilter sample corpus: replay with `authfilter replay samples/corpus`.\n"
            + "# Generated by tests/Filter.Host.Tests/Replay/CorpusGenerator.cs; expectations written by hand.\n"
            + "zones: [zones/corpus.zone]\npolicy: policy.yaml\nmessages:\n");
        AddFirstEntries(manifest, keys);
        AddSpfEntries(manifest, keys);
        AddDkimEntries(manifest, keys);
        AddDmarcEntries(manifest, keys);
        AddFromFieldEntries(manifest, keys);
        AddPhishingAndEnvelopeEntries(manifest, keys);
        WriteText(Path.Combine(directory, Filter.Host.Replay.Corpus.ManifestName), manifest.ToString());
    }

    private static byte[] Mail(string from, string subject, string extraHeaders = "") => Encoding.UTF8.GetBytes(
        extraHeaders
        + "From: " + from + "\r\n"
        + "To: <user@receiver.example>\r\n"
        + "Subject: " + subject + "\r\n"
        + "Date: Wed, 25 Nov 2026 09:00:00 +0900\r\n"
        + "Message-ID: <" + from.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + subject.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@corpus.example>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "\r\n"
        + "This is a sample message of the authfilter corpus.\r\n");

    private static byte[] Sign(byte[] message, string domain, DkimSigningKey key, string selector) =>
        Sign(message, new DkimSignerOptions { Domain = domain, Selector = selector, Key = key });

    private static byte[] Sign(byte[] message, DkimSignerOptions options)
    {
        var field = new DkimSigner(options).Sign(message);
        return [.. Encoding.ASCII.GetBytes(field + "\r\n"), .. message];
    }

    /// <summary>
    /// A genuine rsa-sha1 signature (relaxed/relaxed), which <see cref="DkimSigner"/> rightly cannot make:
    /// RFC 8301 3.1 forbids signing with it. Senders still do, so the corpus needs one.
    /// </summary>
    private static byte[] SignRsaSha1(byte[] message, string domain, string selector, RSA rsa)
    {
        var collector = new FieldCollector();
        using (var stream = new MemoryStream(message, writable: false))
        {
            // MemoryStream completes synchronously; nothing waits here.
            RawMessageReader.ReadAsync(stream, collector, 64 * 1024, CancellationToken.None).GetAwaiter().GetResult();
        }

        string[] signed = ["From", "To", "Subject", "Date", "Message-ID"];
        var unsigned = " v=1; a=rsa-sha1; c=relaxed/relaxed; d=" + domain + "; s=" + selector + ";\r\n\th=" + string.Join(':', signed)
            + ";\r\n\tbh=" + Convert.ToBase64String(collector.Hasher.Finish()) + ";\r\n\tb=";
        collector.Hasher.Dispose();
        var field = RawHeaderField.Create("DKIM-Signature", Encoding.Latin1.GetBytes(unsigned));
        var output = new ArrayBufferWriter<byte>(1024);
        DkimHeaderSelection.AppendSignedFields(output, collector.Fields, signed, DkimCanonicalization.Relaxed);
        DkimHeaderSelection.AppendSignatureField(output, field, unsigned.Length, unsigned.Length, DkimCanonicalization.Relaxed);
        var b = rsa.SignData(output.WrittenSpan.ToArray(), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        return [.. Encoding.ASCII.GetBytes("DKIM-Signature:" + unsigned + Convert.ToBase64String(b) + "\r\n"), .. message];
    }

    private static byte[] Tamper(byte[] message) => Replace(message, "sample message", "SAMPLE MESSAGE");

    private static byte[] Replace(byte[] message, string from, string to)
    {
        var text = Encoding.UTF8.GetString(message);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{from}' is not in the message", nameof(from));
        }

        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    private static byte[] Append(byte[] message, string text) => [.. message, .. Encoding.UTF8.GetBytes(text)];

    // RFC 1035 character-strings are at most 255 octets; a long key is several strings in one record.
    private static string Split(string value)
    {
        var parts = new StringBuilder("( ");
        for (var i = 0; i < value.Length; i += 200)
        {
            parts.Append('"').Append(value.AsSpan(i, Math.Min(200, value.Length - i))).Append("\" ");
        }

        return parts.Append(')').ToString();
    }

    private static void WriteText(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(false));

    /// <summary>The corpus keys: an Ed25519 key from a fixed seed, and the committed RSA test keys (2048 and 512 bits).</summary>
    private sealed class CorpusKeys : IDisposable
    {
        private CorpusKeys(DkimSigningKey ed25519, DkimSigningKey rsa, DkimSigningKey shortRsa, RSA rsaForSha1)
        {
            Ed25519 = ed25519;
            Rsa = rsa;
            ShortRsa = shortRsa;
            RsaForSha1 = rsaForSha1;
        }

        public DkimSigningKey Ed25519 { get; }

        public DkimSigningKey Rsa { get; }

        public DkimSigningKey ShortRsa { get; }

        /// <summary>The same 2048-bit key as <see cref="Rsa"/>, for <see cref="SignRsaSha1"/>.</summary>
        public RSA RsaForSha1 { get; }

        public static CorpusKeys Load()
        {
            var pem = File.ReadAllText(TestPaths.InRepository("tests", "Filter.Host.Tests", "Data", "Replay", "corpus-rsa2048.pem"));
            var shortPem = File.ReadAllText(TestPaths.InRepository("tests", "Filter.Host.Tests", "Data", "Replay", "corpus-rsa512.pem"));
            var sha1 = RSA.Create();
            sha1.ImportFromPem(pem);
            return new CorpusKeys(
                DkimSigningKey.FromEd25519Seed(SHA256.HashData("authfilter sample corpus ed25519"u8)),
                DkimSigningKey.FromPem(pem),
                DkimSigningKey.FromPem(shortPem),
                sha1);
        }

        public void Dispose()
        {
            Ed25519.Dispose();
            Rsa.Dispose();
            ShortRsa.Dispose();
            RsaForSha1.Dispose();
        }
    }

    private sealed class FieldCollector : IRawMessageSink
    {
        public List<RawHeaderField> Fields { get; } = [];

        public DkimBodyHasher Hasher { get; } = new(DkimCanonicalization.Relaxed, HashAlgorithmName.SHA1, null);

        public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue) => Fields.Add(RawHeaderField.Create(rawName, rawValue));

        public void OnEndOfHeaders(CancellationToken cancellationToken)
        {
        }

        public void OnBodyChunk(ReadOnlySpan<byte> chunk) => Hasher.Append(chunk);
    }
}
