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
        Assert.That(DkimEncoding.StripWhitespace(value), Is.EqualTo(expected));

    [Test]
    public void StripWhitespaceRemovesExactlySpTabCrAndLf()
    {
        // RFC 6376 §2.4 base64 with FWS anywhere: the header.b text is the value without it.
        var random = new Random(6008);
        const string alphabet = "AZaz09+/= \t\r\n\u00a0\v";
        for (var round = 0; round < 2_000; round++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = new string([.. value.Where(c => c is not (' ' or '\t' or '\r' or '\n'))]);
            Assert.That(DkimEncoding.StripWhitespace(value), Is.EqualTo(expected), $"round {round}");
        }
    }
}
