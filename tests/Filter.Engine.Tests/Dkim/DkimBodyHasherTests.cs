using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

[TestFixture]
public sealed class DkimBodyHasherTests
{
    // RFC 6376 §3.4.5 example body.
    private const string ExampleBody = " C \r\nD \t E\r\n\r\n\r\n";

    [TestCase(DkimCanonicalization.Simple, ExampleBody, " C \r\nD \t E\r\n", TestName = "RFC 6376 3.4.5 simple")]
    [TestCase(DkimCanonicalization.Relaxed, ExampleBody, " C\r\nD E\r\n", TestName = "RFC 6376 3.4.5 relaxed")]
    [TestCase(DkimCanonicalization.Simple, "", "\r\n", TestName = "empty body simple is CRLF")]
    [TestCase(DkimCanonicalization.Relaxed, "", "", TestName = "empty body relaxed is empty")]
    [TestCase(DkimCanonicalization.Simple, "\r\n\r\n", "\r\n", TestName = "only empty lines simple")]
    [TestCase(DkimCanonicalization.Relaxed, " \r\n\t\r\n", "", TestName = "only blank lines relaxed")]
    [TestCase(DkimCanonicalization.Simple, "abc", "abc\r\n", TestName = "missing final CRLF simple")]
    [TestCase(DkimCanonicalization.Relaxed, "abc  ", "abc\r\n", TestName = "missing final CRLF relaxed")]
    [TestCase(DkimCanonicalization.Simple, "\r\n\r\nx\r\n", "\r\n\r\nx\r\n", TestName = "leading empty lines kept")]
    [TestCase(DkimCanonicalization.Relaxed, "a\r\n\r\n  b\r\n", "a\r\n\r\n b\r\n", TestName = "inner empty line kept, leading WSP collapsed")]
    [TestCase(DkimCanonicalization.Simple, "a\rb\r\n", "a\rb\r\n", TestName = "bare CR is content")]
    [TestCase(DkimCanonicalization.Simple, "a\nb\n\n", "a\r\nb\r\n", TestName = "bare LF read as CRLF simple")]
    [TestCase(DkimCanonicalization.Relaxed, "a \nb\t\n\n", "a\r\nb\r\n", TestName = "bare LF read as CRLF relaxed")]
    [TestCase(DkimCanonicalization.Relaxed, "a b  c   d \r\n", "a b c d\r\n", TestName = "relaxed space runs and trailing space")]
    [TestCase(DkimCanonicalization.Relaxed, "x  \t y\t\r\n  \r\nz", "x y\r\n\r\nz\r\n", TestName = "relaxed mixed WSP runs")]
    public void CanonicalizesAsTheRfcSays(DkimCanonicalization canonicalization, string body, string canonical)
    {
        using var hasher = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        hasher.Append(Encoding.Latin1.GetBytes(body));
        var hash = hasher.Finish();
        Assert.Multiple(() =>
        {
            Assert.That(hash, Is.EqualTo(SHA256.HashData(Encoding.Latin1.GetBytes(canonical))));
            Assert.That(hasher.CanonicalLength, Is.EqualTo(canonical.Length));
        });
    }

    [Test]
    public void EverySplitPointGivesTheSameHash([Values] DkimCanonicalization canonicalization)
    {
        var body = Encoding.Latin1.GetBytes("Line one  \r\n\tTabbed  line\r\n\r\n \r\nlast\r\r\n\n\r\n\r\n");
        using var whole = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        whole.Append(body);
        var expected = whole.Finish();
        for (var first = 0; first <= body.Length; first++)
        {
            for (var second = first; second <= body.Length; second++)
            {
                using var split = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
                split.Append(body.AsSpan(0, first));
                split.Append(body.AsSpan(first, second - first));
                split.Append(body.AsSpan(second));
                Assert.That(split.Finish(), Is.EqualTo(expected), $"split at {first} and {second}");
            }
        }
    }

    [Test]
    public void ByteByByteEqualsWholeOverALongBody([Values] DkimCanonicalization canonicalization)
    {
        var random = new Random(4);
        var alphabet = "ab  \t\r\n\n\r"u8.ToArray();
        var body = new byte[40_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = alphabet[random.Next(alphabet.Length)];
        }

        using var whole = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        whole.Append(body);
        using var single = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        foreach (var b in body)
        {
            single.Append([b]);
        }

        Assert.That(single.Finish(), Is.EqualTo(whole.Finish()));
    }

    [Test]
    public void LengthLimitHashesThePrefixAndCountsTheRest()
    {
        using var hasher = new DkimBodyHasher(DkimCanonicalization.Simple, HashAlgorithmName.SHA256, 5);
        hasher.Append("hello world\r\n"u8);
        var hash = hasher.Finish();
        Assert.Multiple(() =>
        {
            Assert.That(hash, Is.EqualTo(SHA256.HashData("hello"u8)));
            Assert.That(hasher.CanonicalLength, Is.EqualTo(13));
            Assert.That(hasher.UnsignedLength, Is.EqualTo(8));
        });
    }

    [Test]
    public void ManyTrailingEmptyLinesAcrossChunksAreDropped()
    {
        using var hasher = new DkimBodyHasher(DkimCanonicalization.Relaxed, HashAlgorithmName.SHA256, null);
        hasher.Append("text\r"u8);
        for (var i = 0; i < 10_000; i++)
        {
            hasher.Append("\n\r"u8);
        }

        hasher.Append("\n"u8);
        Assert.That(hasher.Finish(), Is.EqualTo(SHA256.HashData("text\r\n"u8)));
    }
}
