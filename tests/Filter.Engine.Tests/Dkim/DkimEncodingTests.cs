using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

[TestFixture]
public sealed class DkimEncodingTests
{
    [TestCase("", "")]
    [TestCase("abc", "abc")]
    [TestCase(" a b\r\n\tc ", "abc")]
    [TestCase("\r\n \t", "")]
    public void StripWhitespaceRemovesTheFwsOfBase64(string value, string expected) =>
        Assert.That(DkimEncoding.StripWhitespace(Encoding.Latin1.GetBytes(value)), Is.EqualTo(expected));

    [Test]
    public void StripWhitespaceRemovesExactlySpTabCrAndLf()
    {
        // RFC 6376 §2.4 base64 with FWS anywhere: the header.b text is the value without it.
        var random = new Random(6008);
        const string alphabet = "AZaz09+/= \t\r\n\u00a0\v";
        for (var round = 0; round < 2_000; round++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 700)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = new string([.. value.Where(c => c is not (' ' or '\t' or '\r' or '\n'))]);
            Assert.That(DkimEncoding.StripWhitespace(Encoding.Latin1.GetBytes(value)), Is.EqualTo(expected), $"round {round}");
        }
    }

    [Test]
    public void BytesDecodeAsTheTextFormDoes()
    {
        // Base64 from header bytes keeps Convert's rules: FWS skipped, unused trailing bits ignored ("QR==").
        var random = new Random(24);
        const string alphabet = "ABQRz09+/== \t\r\n!\u00e9";
        for (var round = 0; round < 20_000; round++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, round % 100 == 0 ? 900 : 16)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = DkimEncoding.DecodeBase64(value);
            Assert.That(DkimEncoding.DecodeBase64(Encoding.Latin1.GetBytes(value)), Is.EqualTo(expected), $"round {round}: '{value}'");
        }

        Assert.That(DkimEncoding.DecodeBase64("QR=="u8), Is.EqualTo(new byte[] { 0x41 }));
    }

    [Test]
    public void ValidBase64WithFwsDecodesAsTheTextFormDoes()
    {
        // Random text is seldom base64, so the vectorized path of the byte form is held to Convert here on
        // encodings of random bytes (b= and bh= sizes, and past the stack buffer), folded with FWS, some with
        // non-zero unused trailing bits (Convert ignores them, the vectorized decoder refuses them) and some
        // with one character broken.
        var random = new Random(6376);
        const string fws = " \t\r\n";
        var decoded = 0;
        var trailingBitsDecoded = 0;
        for (var round = 0; round < 5_000; round++)
        {
            var data = new byte[random.Next(0, round % 50 == 0 ? 600 : 300)];
            random.NextBytes(data);
            var text = new StringBuilder(Convert.ToBase64String(data));
            var trailingBits = round % 7 == 1 && text.Length > 0 && text[^1] == '=';
            if (trailingBits)
            {
                // The last data character before padding carries unused low bits: 'B' (1) sets one.
                text[text.ToString().TrimEnd('=').Length - 1] = 'B';
            }

            var broken = round % 11 == 2 && text.Length > 0;
            if (broken)
            {
                text[random.Next(text.Length)] = "!*-=."[random.Next(5)];
            }

            for (var n = random.Next(0, 8); n > 0; n--)
            {
                text.Insert(random.Next(text.Length + 1), fws[random.Next(fws.Length)]);
            }

            var value = text.ToString();
            var bytes = DkimEncoding.DecodeBase64(Encoding.Latin1.GetBytes(value));
            Assert.That(bytes, Is.EqualTo(DkimEncoding.DecodeBase64(value)), $"round {round}: '{value}'");
            decoded += bytes is not null ? 1 : 0;
            trailingBitsDecoded += trailingBits && !broken && bytes is not null ? 1 : 0;
        }

        // Both paths were taken: most inputs decode, and the ones with trailing bits decode through Convert.
        Assert.That(decoded, Is.GreaterThan(4_000));
        Assert.That(trailingBitsDecoded, Is.GreaterThan(200));
    }
}
