using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// The byte-level tag-list reader of DKIM-Signature fields gives exactly the answers of the text
/// parser that key records use (<see cref="DkimTagListParser"/>): the same error text, or the same
/// values at the same offsets, over generated lists full of edge bytes (NUL, 8-bit, folding, ';', '=').
/// </summary>
[TestFixture]
public sealed class DkimSignatureTagReaderTests
{
    private static readonly (DkimSignatureTag Tag, string Name)[] Known =
    [
        (DkimSignatureTag.Version, "v"), (DkimSignatureTag.Algorithm, "a"), (DkimSignatureTag.Signature, "b"),
        (DkimSignatureTag.BodyHash, "bh"), (DkimSignatureTag.Canonicalization, "c"), (DkimSignatureTag.Domain, "d"),
        (DkimSignatureTag.SignedHeaders, "h"), (DkimSignatureTag.Identity, "i"), (DkimSignatureTag.BodyLength, "l"),
        (DkimSignatureTag.QueryMethods, "q"), (DkimSignatureTag.Selector, "s"), (DkimSignatureTag.Timestamp, "t"),
        (DkimSignatureTag.Expiration, "x"), (DkimSignatureTag.CopiedHeaders, "z"),
    ];

    private static readonly byte[] EdgeBytes = [.. "vabhdsxz_B19=;;  \t\r\n:/+!~"u8, 0x00, 0x7F, 0x80, 0xE9, 0xFF];

    private static readonly string[] Names = ["v", "a", "b", "bh", "h", "d", "B", "bhx", "x_1", "z", "unknown"];

    [Test]
    public void AgreesWithTheTextParserOnRandomBytes()
    {
        var random = new Random(6376);
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = new byte[random.Next(0, 40)];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = EdgeBytes[random.Next(EdgeBytes.Length)];
            }

            AssertSameAnswer(bytes);
        }
    }

    [Test]
    public void AgreesWithTheTextParserOnRandomTagLists()
    {
        var random = new Random(8463);
        string[] fws = ["", " ", "\t", "\r\n\t", "\r\n ", "\n ", "  "];
        string[] values = ["1", "", "rsa-sha256", "AB CD\r\n\tEF==", "from : to", "a\u0000b", "caf\u00e9", "x;y", "=", "ü", "é é"];
        for (var round = 0; round < 20_000; round++)
        {
            var text = new StringBuilder();
            var count = random.Next(0, 7);
            for (var t = 0; t < count; t++)
            {
                text.Append(fws[random.Next(fws.Length)]).Append(Names[random.Next(Names.Length)]).Append(fws[random.Next(fws.Length)])
                    .Append('=').Append(fws[random.Next(fws.Length)]).Append(values[random.Next(values.Length)]).Append(fws[random.Next(fws.Length)]);
                if (t + 1 < count || random.Next(2) == 0)
                {
                    text.Append(';');
                }
            }

            AssertSameAnswer(Encoding.Latin1.GetBytes(text.ToString()));
        }
    }

    [TestCase("v=1; x=a; x=b", "tag 'x' occurs twice")]
    [TestCase("v=1; foo=a; bar=b; foo=c", "tag 'foo' occurs twice")]
    [TestCase("v=1; b=AB\u0000CD", "tag 'b' has a character outside the allowed set at position 9")]
    [TestCase("v=1; d=ex\u00e4mple.com", "tag 'd' has a character outside the allowed set at position 9")]
    [TestCase("v\u00e9=1", "tag 'v' has no '=' (position 1)")]
    [TestCase("v=1;\u0000a=b", "expected a tag name at position 4")]
    public void ByteLevelErrorsNameTheTagAndPosition(string text, string error)
    {
        Span<DkimTagRange> tags = stackalloc DkimTagRange[DkimSignatureTagReader.KnownTagCount];
        Assert.That(DkimSignatureTagReader.Read(Encoding.Latin1.GetBytes(text), tags), Is.EqualTo(error));
    }

    [Test]
    public void ManyDistinctUnknownTagsAreReadAndIgnored()
    {
        var text = "v=1; " + string.Join("; ", Enumerable.Range(0, 5000).Select(i => $"u{i}=x"));
        var tags = new DkimTagRange[DkimSignatureTagReader.KnownTagCount];
        Assert.Multiple(() =>
        {
            Assert.That(DkimSignatureTagReader.Read(Encoding.Latin1.GetBytes(text), tags), Is.Null);
            Assert.That(tags[(int)DkimSignatureTag.Version].IsPresent, Is.True);
        });
    }

    private static void AssertSameAnswer(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var expected = DkimTagListParser.Parse(text);
        var tags = new DkimTagRange[DkimSignatureTagReader.KnownTagCount];
        var error = DkimSignatureTagReader.Read(bytes, tags);
        var shown = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
        Assert.That(error, Is.EqualTo(expected.Error), shown);
        if (error is not null)
        {
            return;
        }

        foreach (var (tag, name) in Known)
        {
            var range = tags[(int)tag];
            Assert.That(range.IsPresent, Is.EqualTo(expected.TryGet(name, out var value)), $"{name}= in {shown}");
            if (range.IsPresent)
            {
                Assert.That(Encoding.Latin1.GetString(range.Slice(bytes)), Is.EqualTo(value.Value), $"{name}= in {shown}");
                Assert.That((range.ValueStart, range.ValueEnd), Is.EqualTo((value.ValueStart, value.ValueEnd)), $"{name}= in {shown}");
            }
        }
    }
}
