using System.Buffers;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Message;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// Header selection (RFC 6376 §5.4.2): the indexed path used for a long h= picks exactly what the
/// bottom-up scan picks, so a huge h= costs linear time without changing what is hashed.
/// </summary>
public sealed class DkimHeaderSelectionTests
{
    private static readonly string[] s_names = ["From", "from", "To", "Subject", "Received", "X-A", "x-a", "Date"];

    [Test]
    public void The_index_and_the_scan_select_the_same_fields_in_the_same_order()
    {
        var random = new Random(20261126);
        for (var round = 0; round < 2_000; round++)
        {
            var fields = new List<RawHeaderField>();
            for (var i = random.Next(0, 12); i > 0; i--)
            {
                fields.Add(RawHeaderField.Create(s_names[random.Next(s_names.Length)], Encoding.ASCII.GetBytes($" value {round}.{i}")));
            }

            var signed = new string[random.Next(0, 16)];
            for (var i = 0; i < signed.Length; i++)
            {
                signed[i] = s_names[random.Next(s_names.Length)];
            }

            foreach (var canonicalization in new[] { DkimCanonicalization.Simple, DkimCanonicalization.Relaxed })
            {
                var scanned = new ArrayBufferWriter<byte>();
                var indexed = new ArrayBufferWriter<byte>();
                DkimHeaderSelection.AppendByScanning(scanned, fields, signed, canonicalization);
                DkimHeaderSelection.AppendByIndex(indexed, fields, signed, canonicalization);
                Assert.That(indexed.WrittenSpan.ToArray(), Is.EqualTo(scanned.WrittenSpan.ToArray()), $"round {round}, h={string.Join(':', signed)}");
            }
        }
    }

    [Test]
    public void A_long_h_list_takes_the_indexed_path_and_over_signs_what_is_absent()
    {
        // 3 From fields and an h= naming From 3,000 times: the three instances bottom-up, then nothing.
        var fields = new List<RawHeaderField>
        {
            RawHeaderField.Create("From", " top"u8),
            RawHeaderField.Create("From", " middle"u8),
            RawHeaderField.Create("From", " bottom"u8),
        };
        var signed = Enumerable.Repeat("from", 3_000).ToArray();
        Assert.That((long)signed.Length * fields.Count, Is.GreaterThan(DkimHeaderSelection.IndexThreshold), "the premise: this h= takes the indexed path");

        var output = new ArrayBufferWriter<byte>();
        DkimHeaderSelection.AppendSignedFields(output, fields, signed, DkimCanonicalization.Simple);

        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo("From: bottom\r\nFrom: middle\r\nFrom: top\r\n"));
    }
}
