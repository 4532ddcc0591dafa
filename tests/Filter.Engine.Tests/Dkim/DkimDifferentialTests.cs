using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using static Filter.Engine.Tests.Dkim.DkimTestSupport;
using MimeDkimSigner = MimeKit.Cryptography.DkimSigner;
using MimeDkimVerifier = MimeKit.Cryptography.DkimVerifier;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// Differential test (issue 4): messages signed by our signer and by MimeKit's, with both
/// canonicalizations, both algorithms, over-signing and l=, then mutated, are verified by our verifier
/// and by MimeKit's DkimVerifier over the same zone data; the two must agree on pass versus not-pass
/// for every message. Each case also checks that the unmutated message passes in both, so agreement
/// is never the trivial "both fail".
/// </summary>
/// <remarks>
/// Where the two may not agree: rsa-sha1 (we say policy, MimeKit disables it too: not-pass in both),
/// RSA keys under 1024 bits (policy for us, refused by MimeKit's MinimumRsaKeyLength 1024: not-pass
/// in both), and l= (both honour it, so a body appended after an l= signature passes in both; we also
/// report the unsigned byte count, which MimeKit does not). Those are checked separately below.
/// </remarks>
[TestFixture]
public sealed class DkimDifferentialTests
{
    private static readonly string[] Bodies =
    [
        "Hello Bob,\r\n\r\nLunch at noon?\r\n\r\n-- \r\nAlice\r\n",
        "",
        "single line without final break",
        "  leading space\r\n\ttabbed  \t line \r\nwide    gaps\r\n\r\n\r\n\r\n",
        string.Concat(Enumerable.Range(0, 300).Select(i => $"Line {i} of a longer body with some text in it.\r\n")),
        "--b1\r\nContent-Type: text/plain\r\n\r\npart one\r\n--b1--\r\n\r\n",
    ];

    private static readonly string[] Mutations =
        ["none", "header byte", "body byte", "relaxed whitespace", "folding", "appended body", "reordered headers", "extra trailing lines"];

    public static IEnumerable<TestCaseData> Signers()
    {
        foreach (var algorithm in new[] { "rsa", "ed25519" })
        {
            foreach (var header in new[] { DkimCanonicalization.Simple, DkimCanonicalization.Relaxed })
            {
                foreach (var body in new[] { DkimCanonicalization.Simple, DkimCanonicalization.Relaxed })
                {
                    foreach (var variant in new[] { "ours", "ours over-signed", "ours l=", "mimekit" })
                    {
                        yield return new TestCaseData(variant, algorithm, header, body)
                            .SetName($"{variant} {algorithm} {header.ToString().ToLowerInvariant()}/{body.ToString().ToLowerInvariant()}");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Signers))]
    public async Task BothVerifiersAgreeOnEveryMutation(string variant, string algorithm, DkimCanonicalization header, DkimCanonicalization body)
    {
        using var key = algorithm == "rsa" ? RsaKey() : Ed25519Key();
        var zone = ZoneWith("sel", key.KeyRecord);
        var disagreements = new List<string>();
        var checkedCount = 0;
        for (var b = 0; b < Bodies.Length; b++)
        {
            var message = BaseMessage(b);
            var signed = variant == "mimekit"
                ? SignWithMimeKit(message, algorithm, header, body)
                : Signed(message, new DkimSignerOptions
                {
                    Domain = Domain,
                    Selector = "sel",
                    Key = key,
                    HeaderCanonicalization = header,
                    BodyCanonicalization = body,
                    SignedHeaders = ["From", "To", "Subject", "Date", "Message-ID"],
                    OverSign = variant == "ours over-signed",
                    IncludeBodyLength = variant == "ours l=",
                });

            foreach (var mutation in Mutations)
            {
                var mutated = Mutate(signed, mutation);
                if (mutated is null)
                {
                    continue;
                }

                // MimeKit stamps t= with the real clock, so our verifier reads the real clock here too.
                var ours = (await VerifyAsync(mutated, zone, now: DateTimeOffset.UtcNow)).First();
                var theirs = await VerifyWithMimeKitAsync(mutated, zone);
                checkedCount++;
                if ((ours.Code == DkimResultCode.Pass) != theirs)
                {
                    disagreements.Add($"body {b}, {mutation}: ours {ours.Code} ({ours.Reason}), MimeKit {(theirs ? "pass" : "not pass")}");
                }

                if (mutation == "none" && ours.Code != DkimResultCode.Pass)
                {
                    disagreements.Add($"body {b}: unmutated message did not pass: {ours.Reason}");
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(disagreements, Is.Empty);
            Assert.That(checkedCount, Is.GreaterThanOrEqualTo(Bodies.Length * (Mutations.Length - 1)));
        });
    }

    [Test]
    public async Task DocumentedExceptionsAreNotPassInBoth()
    {
        // rsa-sha1 signed by MimeKit, and a 512-bit RSA key: RFC 8301 says never a pass.
        using var rsa = RsaKey();
        var sha1 = SignWithMimeKit(BaseMessage(0), "rsa-sha1", DkimCanonicalization.Relaxed, DkimCanonicalization.Relaxed);
        using var shortKey = RsaKey(512);
        var shortSigned = Signed(BaseMessage(0), Options(shortKey));
        var sha1Zone = ZoneWith("sel", rsa.KeyRecord);
        var shortZone = ZoneWith("sel", shortKey.KeyRecord);
        var oursSha1 = (await VerifyAsync(sha1, sha1Zone, now: DateTimeOffset.UtcNow)).Single();
        var oursShort = (await VerifyAsync(shortSigned, shortZone)).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(oursSha1.Code, Is.EqualTo(DkimResultCode.Policy));
            Assert.That(await VerifyWithMimeKitAsync(sha1, sha1Zone), Is.False);
            Assert.That(oursShort.Code, Is.EqualTo(DkimResultCode.Policy));
            Assert.That(await VerifyWithMimeKitAsync(shortSigned, shortZone), Is.False);
        });
    }

    private static byte[] BaseMessage(int index) => DkimTestSupport.Message(
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.net>\r\n"
        + $"Subject: Message number {index}\r\n"
        + "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
        + $"Message-ID: <{index}@example.com>\r\n"
        + (index == 5 ? "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n" : string.Empty),
        Bodies[index]);

    private static byte[]? Mutate(byte[] signed, string mutation)
    {
        var text = Encoding.Latin1.GetString(signed);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var head = text[..split];
        var body = text[split..];
        switch (mutation)
        {
            case "none":
                return signed;
            case "header byte":
                return Latin1(head.Replace("Subject: Message", "Subject: Massage", StringComparison.Ordinal) + body);
            case "body byte":
                var letter = body.IndexOfAny(['e', 'i', 'o']);
                return letter < 0 ? null : Latin1(head + body[..letter] + 'X' + body[(letter + 1)..]);
            case "relaxed whitespace":
                // Insensitive under relaxed, a change under simple: both verifiers must say the same.
                var space = body.IndexOf(' ', StringComparison.Ordinal);
                var changedBody = space < 0 ? body : body[..space] + " \t " + body[(space + 1)..];
                return Latin1(head.Replace("To: Bob", "To:   Bob", StringComparison.Ordinal).Replace("\r\nDate:", " \r\nDate:", StringComparison.Ordinal) + changedBody);
            case "folding":
                return Latin1(head.Replace("Subject: Message number", "Subject: Message\r\n number", StringComparison.Ordinal) + body);
            case "appended body":
                return Latin1(head + body + "Appended text.\r\n");
            case "reordered headers":
                var to = head.IndexOf("To: Bob <bob@example.net>\r\n", StringComparison.Ordinal);
                var reordered = head.Remove(to, "To: Bob <bob@example.net>\r\n".Length);
                return Latin1(reordered.Insert(reordered.Length - 2, "To: Bob <bob@example.net>\r\n") + body);
            case "extra trailing lines":
                return Latin1(head + body + (body.EndsWith("\r\n", StringComparison.Ordinal) || body.Length == 0 ? "\r\n\r\n" : string.Empty));
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null);
        }
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] SignWithMimeKit(byte[] message, string algorithm, DkimCanonicalization header, DkimCanonicalization body)
    {
        var mimeMessage = MimeMessage.Load(new MemoryStream(message));
        MimeDkimSigner signer;
        if (algorithm == "ed25519")
        {
            var privateKey = new Ed25519PrivateKeyParameters(Ed25519Seed, 0);
            signer = new MimeDkimSigner(privateKey, Domain, "sel", DkimSignatureAlgorithm.Ed25519Sha256);
        }
        else
        {
            var pem = RsaPrivatePem();
            signer = new MimeDkimSigner(new MemoryStream(Encoding.ASCII.GetBytes(pem)), Domain, "sel",
                algorithm == "rsa-sha1" ? DkimSignatureAlgorithm.RsaSha1 : DkimSignatureAlgorithm.RsaSha256);
        }

        signer.HeaderCanonicalizationAlgorithm = header == DkimCanonicalization.Relaxed ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
        signer.BodyCanonicalizationAlgorithm = body == DkimCanonicalization.Relaxed ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
        signer.Sign(mimeMessage, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        using var output = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        mimeMessage.WriteTo(format, output);
        return output.ToArray();
    }

    private static async Task<bool> VerifyWithMimeKitAsync(byte[] message, DnsZone zone)
    {
        var mimeMessage = MimeMessage.Load(new MemoryStream(message));
        var verifier = new MimeDkimVerifier(new ZoneDkimPublicKeyLocator(new ZoneResolver(zone)));
        var index = mimeMessage.Headers.IndexOf(HeaderId.DkimSignature);
        try
        {
            return await verifier.VerifyAsync(mimeMessage, mimeMessage.Headers[index]);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or NotSupportedException)
        {
            // MimeKit reports a signature it cannot check as an exception; that is "not pass".
            return false;
        }
    }
}
