using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// DKIM-Signature values read from the field's bytes (RFC 6376 §3.5): folding inside b=, bh= and h=,
/// bytes no tag-value may hold (NUL, 8-bit), names in any case, and numbers too long for a long.
/// </summary>
[TestFixture]
public sealed class DkimSignatureParserTests
{
    private static readonly string Bh = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly byte[] SignatureBytes = Enumerable.Range(0, 256).Select(i => (byte)(i * 7)).ToArray();
    private static readonly string B = Convert.ToBase64String(SignatureBytes);

    [Test]
    public void FoldedValuesReadAsUnfolded()
    {
        // Folding as RawHeaderField keeps it (CRLF + WSP), inside b= and bh= and around the h= names.
        var foldedB = B[..60] + "\r\n\t" + B[60..120] + " \r\n " + B[120..];
        var foldedBh = Bh[..20] + "\r\n\t " + Bh[20..];
        var value = $" v=1; a=RSA-SHA256; c=Relaxed/SIMPLE; d=example.com; s=sel;\r\n\th=FROM :\r\n\tto: X-Custom-Header :subject;\r\n\tbh={foldedBh};\r\n\tb={foldedB}";
        var parsed = DkimSignatureParser.Parse(Encoding.Latin1.GetBytes(value));
        var signature = parsed.Signature;
        Assert.That(signature, Is.Not.Null, parsed.Error);
        Assert.Multiple(() =>
        {
            Assert.That(signature!.SignatureBytes, Is.EqualTo(SignatureBytes));
            Assert.That(signature.SignatureBase64, Is.EqualTo(B));
            Assert.That(signature.BodyHash, Is.EqualTo(Convert.FromBase64String(Bh)));
            Assert.That(signature.SignedHeaders, Is.EqualTo(new[] { "from", "to", "X-Custom-Header", "subject" }).IgnoreCase);
            Assert.That(signature.SignedHeaders[2], Is.EqualTo("X-Custom-Header"), "an uncommon name is kept as written");
            Assert.That(signature.Algorithm, Is.EqualTo(DkimAlgorithm.RsaSha256));
            Assert.That(parsed.Algorithm, Is.EqualTo("rsa-sha256"));
            Assert.That(signature.HeaderCanonicalization, Is.EqualTo(DkimCanonicalization.Relaxed));
            Assert.That(signature.BodyCanonicalization, Is.EqualTo(DkimCanonicalization.Simple));
            Assert.That(value[signature.SignatureValueStart..signature.SignatureValueEnd], Is.EqualTo(foldedB));
        });
    }

    [Test]
    public void TextAndBytesOverloadsAgree()
    {
        var value = Valid("i=user=40example.com@mail.example.com; l=120; t=1700000000; x=1800000000; q=DNS/TXT : other");
        var fromText = DkimSignatureParser.Parse(value).Signature!;
        var fromBytes = DkimSignatureParser.Parse(Encoding.Latin1.GetBytes(value)).Signature!;
        Assert.Multiple(() =>
        {
            Assert.That(fromBytes.Identity, Is.EqualTo("user@example.com@mail.example.com").And.EqualTo(fromText.Identity));
            Assert.That(fromBytes.BodyLength, Is.EqualTo(120).And.EqualTo(fromText.BodyLength));
            Assert.That(fromBytes.Timestamp, Is.EqualTo(1700000000).And.EqualTo(fromText.Timestamp));
            Assert.That(fromBytes.Expiration, Is.EqualTo(1800000000).And.EqualTo(fromText.Expiration));
            Assert.That(fromBytes.SignatureValueStart, Is.EqualTo(fromText.SignatureValueStart));
        });
    }

    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("9223372036854775806", long.MaxValue - 1)]
    [TestCase("9223372036854775808", long.MaxValue)]
    [TestCase("123456789012345678901234567890", long.MaxValue)]
    [TestCase("0", 0L)]
    [TestCase("007", 7L)]
    public void BodyLengthTooLongForALongSaturates(string digits, long expected) =>
        Assert.That(DkimSignatureParser.Parse(Valid("l=" + digits)).Signature?.BodyLength, Is.EqualTo(expected));

    [TestCase("d=ex\u00e4mple.com", "malformed tag list: tag 'd' has a character outside the allowed set")]
    [TestCase("s=se\u0000l", "malformed tag list: tag 's' has a character outside the allowed set")]
    [TestCase("z=From:a\u00ffb", "malformed tag list: tag 'z' has a character outside the allowed set")]
    [TestCase("l=1\u00002", "malformed tag list: tag 'l' has a character outside the allowed set")]
    [TestCase("l=-1", "l= is not a length: '-1'")]
    [TestCase("l=1 2", "l= is not a length: '1 2'")]
    [TestCase("t=1\u00b2", "malformed tag list: tag 't' has a character outside the allowed set")]
    [TestCase("h=from:to:\r\n\t", "h= has an invalid header field name ''")]
    [TestCase("h=fr om", "h= has an invalid header field name 'fr om'")]
    [TestCase("q=dns/txtx", "no supported query method in q=dns/txtx")]
    public void ByteLevelProblemsArePermErrorReasons(string tag, string reason)
    {
        var parsed = DkimSignatureParser.Parse(Encoding.Latin1.GetBytes(Valid(tag)));
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Signature, Is.Null);
            Assert.That(parsed.Error, Does.StartWith(reason));
        });
    }

    [Test]
    public void FailedParseStillReportsWhatItRead()
    {
        var parsed = DkimSignatureParser.Parse(Encoding.Latin1.GetBytes(Valid("q=smtp").Replace("a=rsa-sha256", "a=RSA-SHA256", StringComparison.Ordinal)));
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Signature, Is.Null);
            Assert.That(parsed.Domain, Is.EqualTo("example.com"));
            Assert.That(parsed.Selector, Is.EqualTo("sel"));
            Assert.That(parsed.Algorithm, Is.EqualTo("RSA-SHA256"));
            Assert.That(parsed.SignatureBase64, Is.EqualTo(B));
        });
    }

    /// <summary>A well-formed value with the h= names replaced or a tag added (a given tag replaces its default).</summary>
    private static string Valid(string extra)
    {
        var name = extra[..extra.IndexOf('=', StringComparison.Ordinal)];
        var value = $"v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh={Bh}; b={B}";
        var start = value.IndexOf("; " + name + "=", StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = value.IndexOf(';', start + 2);
            value = value[..start] + value[(end < 0 ? value.Length : end)..];
        }

        return value + "; " + extra;
    }
}
