using System.Text;
using DnsClient;
using DnsClient.Protocol;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// TXT octets rebuilt from what DnsClient.NET exposes. Each record is made by DnsClient's own
/// public parsing helpers from raw character-strings, exactly as its wire parser does, and the
/// result must equal the joined octets decoded as UTF-8 (RFC 7208 §3.3).
/// </summary>
[TestFixture]
public sealed class TxtRecordDecoderTests
{
    private static TxtRecord Record(params byte[][] strings)
    {
        var escaped = strings.Select(DnsDatagramReader.ParseString).ToArray();
        var text = strings.Select(s => DnsDatagramReader.ReadUTF8String(new ArraySegment<byte>(s))).ToArray();
        var info = new ResourceRecordInfo("txt.example.", ResourceRecordType.TXT, QueryClass.IN, 300, strings.Sum(s => s.Length + 1));
        return new TxtRecord(info, escaped, text);
    }

    private static string Expected(params byte[][] strings) => Encoding.UTF8.GetString(strings.SelectMany(s => s).ToArray());

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData((object)new[] { "v=spf1 "u8.ToArray(), "-all"u8.ToArray() }).SetName("AsciiStringsJoined");
        yield return new TestCaseData((object)new[] { "say \"hi\"; then; go \\ back"u8.ToArray() }).SetName("QuoteSemicolonBackslash");
        yield return new TestCaseData((object)new[] { "café €"u8.ToArray() }).SetName("NonAscii");
        yield return new TestCaseData((object)new[] { new byte[] { 0x63, 0x61, 0x66, 0xC3 }, new byte[] { 0xA9, 0x21 } }).SetName("CharacterCutBetweenStrings");
        yield return new TestCaseData((object)new[] { new byte[] { 0xE2, 0x82 }, new byte[] { 0xAC } }).SetName("ThreeOctetCharacterCut");
        yield return new TestCaseData((object)new[] { new byte[] { 0xFF, 0xFE, 0x6F, 0x6B } }).SetName("InvalidOctets");
        yield return new TestCaseData((object)new[] { "a\\200b"u8.ToArray().Concat(new byte[] { 200 }).ToArray() }).SetName("LiteralBackslashDigitsBesideAnInvalidOctet");
        yield return new TestCaseData((object)new[] { new byte[] { 0xC8 }.Concat("\\200"u8.ToArray()).ToArray() }).SetName("InvalidOctetThenLiteralBackslashDigits");
        yield return new TestCaseData((object)new[] { new byte[] { 0x5C, 0x22, 0x00, 0x1F, 0x7F, 0xC3 } }).SetName("BackslashQuoteAndControlOctets");
        yield return new TestCaseData((object)new[] { Array.Empty<byte>() }).SetName("EmptyString");
        yield return new TestCaseData((object)new[] { "\uFFFD"u8.ToArray(), new byte[] { 0xC3 } }).SetName("RealReplacementCharacterBesideAnInvalidOctet");
    }

    [TestCaseSource(nameof(Cases))]
    public void JoinsTheOctetsThenDecodes(byte[][] strings)
    {
        Assert.That(TxtRecordDecoder.Join(Record(strings)), Is.EqualTo(Expected(strings)));
    }

    [Test]
    public void EscapedTextAloneWouldLeakEscapesAndTextAloneWouldBreakCutCharacters()
    {
        var record = Record([0x63, 0x61, 0x66, 0xC3], [0xA9]);

        Assert.Multiple(() =>
        {
            Assert.That(string.Concat(record.EscapedText), Is.EqualTo("caf\\195\\169"), "why EscapedText is not used");
            Assert.That(string.Concat(record.Text), Is.EqualTo("caf\uFFFD\uFFFD"), "why Text is not simply joined");
            Assert.That(TxtRecordDecoder.Join(record), Is.EqualTo("café"));
        });
    }

    [Test]
    public void AHostileRecordOfAmbiguousEscapesStillDecodesExactly()
    {
        // 0xC8 is escaped as \200 and the literal text \200 is left as it is: 255 octets of both.
        var unit = new byte[] { 0xC8, 0x5C, 0x32, 0x30, 0x30 };
        var hostile = Enumerable.Repeat(unit, 51).SelectMany(u => u).ToArray();

        Assert.That(TxtRecordDecoder.Join(Record(hostile, hostile)), Is.EqualTo(Expected(hostile, hostile)));
    }

    [Test]
    public void AnyOctetsRoundTrip()
    {
        // Seeded: octets drawn mostly from the troublesome ones (backslash, digits, quote, high octets).
        var random = new Random(7208);
        byte[] alphabet = [0x5C, 0x5C, 0x22, 0x30, 0x31, 0x32, 0x35, 0x39, 0x61, 0x00, 0x7F, 0x80, 0xA9, 0xC3, 0xC8, 0xE2, 0xF0, 0xFF];
        for (var round = 0; round < 2000; round++)
        {
            var strings = new byte[random.Next(1, 4)][];
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = new byte[random.Next(0, 256)];
                for (var j = 0; j < strings[i].Length; j++)
                {
                    strings[i][j] = alphabet[random.Next(alphabet.Length)];
                }
            }

            var joined = TxtRecordDecoder.Join(Record(strings));
            Assert.That(joined, Is.EqualTo(Expected(strings)), () => "octets: " + string.Join(" | ", strings.Select(Convert.ToHexString)));
        }
    }
}
