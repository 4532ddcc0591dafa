using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using static Filter.Engine.Tests.Dkim.DkimTestSupport;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// Hostile or broken input gives a result with a reason, never an exception out of the engine
/// (DESIGN.md house rules; issue 4, "Bad input").
/// </summary>
[TestFixture]
public sealed class DkimBadInputTests
{
    private static readonly string Bh = Convert.ToBase64String(new byte[32]);

    private static string Valid => $"v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel; h=from:to; bh={Bh}; b=AAAA";

    [TestCase("v=1; v=1; a=rsa-sha256", "occurs twice")]
    [TestCase("v=1; a", "no '='")]
    [TestCase("v=1; 9a=rsa-sha256", "tag name")]
    [TestCase("synerr", "no '='")]
    [TestCase("", "required tag v= is missing")]
    [TestCase("v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=A\u0001B", "outside the allowed set")]
    public async Task MalformedTagListIsPermError(string value, string reason) => await ExpectAsync(value, DkimResultCode.PermError, reason);

    [TestCase("v=", "v=2", "unsupported version")]
    [TestCase("v=1; ", "", "required tag v= is missing")]
    [TestCase("a=rsa-sha256", "a=rsa-md5", "unsupported algorithm")]
    [TestCase("a=rsa-sha256; ", "", "required tag a= is missing")]
    [TestCase("c=relaxed/relaxed", "c=relaxed/future", "unsupported canonicalization")]
    [TestCase("d=example.com", "d=exa mple..com", "d= is not a domain name")]
    [TestCase("d=example.com; ", "", "required tag d= is missing")]
    [TestCase("s=sel", "s=", "s= is not a selector")]
    [TestCase("h=from:to", "h=to:subject", "h= does not include From")]
    [TestCase("h=from:to", "h=from::to", "invalid header field name")]
    [TestCase("b=AAAA", "b=!!!!", "b= is not valid base64")]
    [TestCase("b=AAAA", "b=", "b= is not valid base64")]
    public async Task EachMalformedTagIsPermError(string from, string to, string reason) =>
        await ExpectAsync(Valid.Replace(from, to, StringComparison.Ordinal), DkimResultCode.PermError, reason);

    [TestCase("bh=!!", "bh= is not valid base64")]
    [TestCase("bh=AAAA", "not a 32-byte hash")]
    [TestCase("i=@other.example", "not d= or a subdomain")]
    [TestCase("i=@=ZZexample.com", "i= is not an identity")]
    [TestCase("i=no-at-sign", "i= is not an identity")]
    [TestCase("l=12x", "l= is not a length")]
    [TestCase("l=12345678901234567890123456789012345678901234567890123456789012345678901234567", "l= is not a length")]
    [TestCase("q=http", "no supported query method")]
    [TestCase("t=yesterday", "t= is not a timestamp")]
    [TestCase("x=1234567890123", "x= is not a timestamp")]
    [TestCase("t=1700000000; x=1600000000", "x= is not later than t=")]
    public async Task EachMalformedOptionalTagIsPermError(string tag, string reason)
    {
        var value = tag.StartsWith("bh=", StringComparison.Ordinal)
            ? Valid.Replace("bh=" + Bh, tag, StringComparison.Ordinal)
            : Valid + "; " + tag;
        await ExpectAsync(value, DkimResultCode.PermError, reason);
    }

    [Test]
    public async Task HundredKilobyteSignatureIsAFailNotACrash()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var text = Encoding.Latin1.GetString(signed);
        var b = text.IndexOf("\tb=", StringComparison.Ordinal) + 3;
        var end = text.IndexOf("\r\n", b, StringComparison.Ordinal);
        var huge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(75_000));
        var mutated = Encoding.Latin1.GetBytes(text[..b] + huge + text[end..]);
        var result = (await VerifyAsync(mutated, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(huge, Has.Length.GreaterThanOrEqualTo(100_000));
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(result.Reason, Is.EqualTo("signature did not verify"));
            Assert.That(result.SignaturePrefix, Has.Length.EqualTo(8));
        });
    }

    [Test]
    public async Task AThousandSignaturesAreBoundedByTheCap()
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), Options(key));
        var text = Encoding.Latin1.GetString(signed);
        var firstField = text[..(text.IndexOf("\r\nFrom:", StringComparison.Ordinal) + 2)];
        var builder = new StringBuilder();
        for (var i = 0; i < 999; i++)
        {
            builder.Append(firstField.Replace("s=sel;", $"s=s{i};", StringComparison.Ordinal));
        }

        var message = Encoding.Latin1.GetBytes(builder + text);
        var zone = ZoneWith("sel", key.KeyRecord);
        var results = await VerifyAsync(message, zone);
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Count.EqualTo(1000));
            Assert.That(results.Take(5).Select(r => r.Code), Is.All.EqualTo(DkimResultCode.PermError));
            Assert.That(results[0].Reason, Is.EqualTo("no key for selector"));
            Assert.That(results.Skip(5).Select(r => r.Code), Is.All.EqualTo(DkimResultCode.Policy));
            Assert.That(results[999].Reason, Does.Contain("more than 5 signatures"));
        });
    }

    [TestCase("<html><head><title>404</title></head><body>Not found</body></html>", "key record is malformed")]
    [TestCase("v=DKIM1; k=rsa; p=@@@not base64###", "p= is not valid base64")]
    [TestCase("v=DKIM1; k=rsa; p=bm90IGEga2V5IGF0IGFsbA==", "not an RSA public key")]
    [TestCase("v=DKIM1; k=rsa; p=AAAA=BBB", "p= is not valid base64")]
    [TestCase("v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKB", "not an RSA public key")]
    public async Task BadKeyRecordsArePermErrors(string record, string reason)
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var result = (await VerifyAsync(signed, ZoneWith("sel", record))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.PermError));
            Assert.That(result.Reason, Does.Contain(reason));
        });
    }

    [TestCase("v=DKIM1; k=ed25519; p=AAAA")]
    [TestCase("v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")]
    public async Task Ed25519KeyThatIsNot32RawBytesIsPermError(string record)
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), Options(key));
        var result = (await VerifyAsync(signed, ZoneWith("sel", record))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("not a 32-byte Ed25519 public key"));
        });
    }

    [Test]
    public async Task PrivateKeyPublishedAsPublicKeyIsPermError()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        using var rsa = RSA.Create(2048);
        foreach (var blob in new[] { rsa.ExportRSAPrivateKey(), rsa.ExportPkcs8PrivateKey() })
        {
            var result = (await VerifyAsync(signed, ZoneWith("sel", "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(blob)))).Single();
            Assert.Multiple(() =>
            {
                Assert.That(result.Code, Is.EqualTo(DkimResultCode.PermError));
                Assert.That(result.Reason, Is.EqualTo("key is not an RSA public key"));
            });
        }
    }

    [Test]
    public async Task BinaryAndNonAsciiHeaderBytesDoNotThrow()
    {
        var message = new List<byte>();
        message.AddRange("DKIM-Signature: v=1; a=rsa-sha256; d=ex\u00e4mple.com; s=\0\u00ff; h=from; bh=AAAA; b=AAAA\r\n"u8.ToArray());
        message.AddRange([(byte)'D', (byte)'K', (byte)'I', (byte)'M', (byte)'-', (byte)'S', (byte)'i', (byte)'g', (byte)'n', (byte)'a', (byte)'t', (byte)'u', (byte)'r', (byte)'e', (byte)':', 0xFF, 0x00, 0xC3, (byte)'\r', (byte)'\n']);
        message.AddRange("From: a@example.com\r\n\r\nbody\r\n"u8.ToArray());
        var results = await VerifyAsync([.. message], new DnsZone());
        Assert.That(results.Select(r => r.Code), Is.All.EqualTo(DkimResultCode.PermError));
    }

    private static async Task ExpectAsync(string signatureValue, DkimResultCode code, string reason)
    {
        var message = DkimTestSupport.Message($"DKIM-Signature: {signatureValue}\r\nFrom: a@example.com\r\nTo: b@example.net\r\n", "body\r\n");
        var results = await VerifyAsync(message, new DnsZone());
        var result = results.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(code), result.Reason);
            Assert.That(result.Reason, Does.Contain(reason));
        });
    }
}
