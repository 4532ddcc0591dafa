using System.Buffers;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Message;

namespace Filter.Engine.Tests.Dkim;

[TestFixture]
public sealed class DkimHeaderCanonicalizerTests
{
    // RFC 6376 §3.4.5: "A: X" and "B : Y<TAB><CRLF><TAB>Z  ".
    [TestCase("A", " X", DkimCanonicalization.Relaxed, "a:X\r\n")]
    [TestCase("B ", " Y\t\r\n\tZ  ", DkimCanonicalization.Relaxed, "b:Y Z\r\n")]
    [TestCase("A", " X", DkimCanonicalization.Simple, "A: X\r\n")]
    [TestCase("B ", " Y\t\r\n\tZ  ", DkimCanonicalization.Simple, "B : Y\t\r\n\tZ  \r\n")]
    [TestCase("Subject", " folded\n line", DkimCanonicalization.Simple, "Subject: folded\r\n line\r\n")]
    [TestCase("Subject", "", DkimCanonicalization.Relaxed, "subject:\r\n")]
    public void CanonicalizesAsTheRfcExample(string name, string value, DkimCanonicalization canonicalization, string expected)
    {
        var field = RawHeaderField.Create(name, Encoding.Latin1.GetBytes(value));
        var output = new ArrayBufferWriter<byte>();
        DkimHeaderCanonicalizer.Append(output, field, canonicalization);
        Assert.That(Encoding.Latin1.GetString(output.WrittenSpan), Is.EqualTo(expected));
    }

    [Test]
    public void SelectsBottomUpAndAbsentInstancesAddNothing()
    {
        var fields = new[]
        {
            RawHeaderField.Create("Received", " first"u8),
            RawHeaderField.Create("From", " a@example.com"u8),
            RawHeaderField.Create("Received", " second"u8),
        };
        var output = new ArrayBufferWriter<byte>();
        DkimHeaderSelection.AppendSignedFields(output, fields, ["received", "from", "received", "received", "to"], DkimCanonicalization.Relaxed);
        Assert.That(Encoding.Latin1.GetString(output.WrittenSpan), Is.EqualTo("received:second\r\nfrom:a@example.com\r\nreceived:first\r\n"));
    }
}
