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

    [Test]
    public void RelaxedMatchesTheRfcRulesByteByByteOnRandomValues()
    {
        // §3.4.2 applied one byte at a time, against the run-copying canonicalizer: unfold, WSP runs to
        // one SP, no WSP at either end of the value; runs of every length at every position.
        var random = new Random(3442);
        byte[] alphabet = [(byte)'a', (byte)'b', (byte)';', (byte)'=', (byte)' ', (byte)' ', (byte)'\t', 0xE9];
        for (var round = 0; round < 5_000; round++)
        {
            var value = new List<byte>();
            for (var length = random.Next(0, 120); value.Count < length;)
            {
                if (random.Next(12) == 0)
                {
                    value.AddRange("\r\n"u8.ToArray());
                    value.Add(random.Next(2) == 0 ? (byte)' ' : (byte)'\t');
                    continue;
                }

                var run = random.Next(8) == 0 ? random.Next(1, 70) : 1;
                var b = alphabet[random.Next(alphabet.Length)];
                for (var i = 0; i < run; i++)
                {
                    value.Add(b);
                }
            }

            byte[] bytes = [.. value];
            var output = new ArrayBufferWriter<byte>();
            DkimHeaderCanonicalizer.AppendRelaxed(output, "X-Name", bytes);
            Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(ReferenceRelaxed("x-name", bytes)), $"round {round}");

            // Given in two pieces cut anywhere (as around an emptied b=), the result is the same.
            var cut = random.Next(0, bytes.Length + 1);
            var pieces = new ArrayBufferWriter<byte>();
            DkimHeaderCanonicalizer.AppendRelaxed(pieces, "X-Name", bytes.AsSpan(0, cut), bytes.AsSpan(cut));
            Assert.That(pieces.WrittenSpan.ToArray(), Is.EqualTo(output.WrittenSpan.ToArray()), $"round {round}, cut at {cut}");
        }
    }

    [Test]
    public void A_long_h_list_over_few_fields_takes_the_indexed_path_with_the_same_result()
    {
        // h= with many repeats over one field: the scan would count earlier repeats quadratically.
        var fields = new List<RawHeaderField> { RawHeaderField.Create("From", " a@example.com"u8) };
        var signed = Enumerable.Repeat("From", 100).Append("To").ToArray();
        Assert.That((long)signed.Length * signed.Length, Is.GreaterThan(DkimHeaderSelection.IndexThreshold), "the premise");
        var chosen = new ArrayBufferWriter<byte>();
        var scanned = new ArrayBufferWriter<byte>();
        DkimHeaderSelection.AppendSignedFields(chosen, fields, signed, DkimCanonicalization.Relaxed);
        DkimHeaderSelection.AppendByScanning(scanned, fields, signed, DkimCanonicalization.Relaxed);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetString(chosen.WrittenSpan), Is.EqualTo("from:a@example.com\r\n"));
            Assert.That(chosen.WrittenSpan.ToArray(), Is.EqualTo(scanned.WrittenSpan.ToArray()));
        });
    }

    private static byte[] ReferenceRelaxed(string lowerName, byte[] value)
    {
        var unfolded = value.Where(b => b is not ((byte)'\r' or (byte)'\n')).Select(b => b == (byte)'\t' ? (byte)' ' : b).ToList();
        var collapsed = new List<byte>();
        foreach (var b in unfolded)
        {
            if (b != (byte)' ' || collapsed.Count == 0 || collapsed[^1] != (byte)' ')
            {
                collapsed.Add(b);
            }
        }

        var start = collapsed.Count > 0 && collapsed[0] == (byte)' ' ? 1 : 0;
        var end = collapsed.Count > start && collapsed[^1] == (byte)' ' ? collapsed.Count - 1 : collapsed.Count;
        return [.. Encoding.ASCII.GetBytes(lowerName + ":"), .. collapsed.Skip(start).Take(end - start)];
    }
}
