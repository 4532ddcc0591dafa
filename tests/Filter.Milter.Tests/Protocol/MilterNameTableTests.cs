using System.Buffers;
using System.Text;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Protocol;

public sealed class MilterNameTableTests
{
    [TestCase("DKIM-Signature")]
    [TestCase("From")]
    [TestCase("Authentication-Results")]
    [TestCase("{auth_authen}")]
    [TestCase("i")]
    public void A_common_name_decodes_to_one_shared_string(string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(name);
        string first = MilterNameTable.Decode(bytes);
        string second = MilterNameTable.Decode(bytes.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(name));
            Assert.That(second, Is.SameAs(first));
        });
    }

    [TestCase("dkim-signature")]
    [TestCase("FROM")]
    [TestCase("X-Custom-Field")]
    [TestCase("Authentication-Results-Extra-Long-Field-Name")]
    [TestCase("")]
    public void Any_other_spelling_is_decoded_exactly_as_sent(string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(name);
        Assert.Multiple(() =>
        {
            Assert.That(MilterNameTable.Find(bytes), Is.Null);
            Assert.That(MilterNameTable.Decode(bytes), Is.EqualTo(name));
        });
    }

    [Test]
    public void A_header_split_across_segments_keeps_its_name_and_value()
    {
        byte[] payload = Encoding.ASCII.GetBytes("Subject\0 Quarterly report\0");
        for (int cut = 1; cut < payload.Length; cut++)
        {
            ReadOnlySequence<byte> sequence = Segments.Split(payload, [cut]);
            bool split = MilterCommandParser.TrySplitHeader(sequence, out string? name, out ReadOnlySequence<byte> value, out MilterProtocolViolation? violation);
            Assert.Multiple(() =>
            {
                Assert.That(split, Is.True, $"cut at {cut}");
                Assert.That(violation, Is.Null);
                Assert.That(name, Is.EqualTo("Subject"));
                Assert.That(Encoding.ASCII.GetString(value.ToArray()), Is.EqualTo(" Quarterly report"), $"cut at {cut}");
            });
        }
    }

    [Test]
    public void A_header_without_a_nul_after_the_name_is_malformed_whole_or_split()
    {
        byte[] payload = Encoding.ASCII.GetBytes("Subject: no separator");
        foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(payload), Segments.OneBytePerSegment(payload) })
        {
            bool split = MilterCommandParser.TrySplitHeader(sequence, out string? name, out _, out MilterProtocolViolation? violation);
            Assert.Multiple(() =>
            {
                Assert.That(split, Is.False);
                Assert.That(name, Is.Null);
                Assert.That(violation!.Kind, Is.EqualTo(MilterViolationKind.Malformed));
            });
        }
    }

    [Test]
    public void Macro_names_from_the_wire_are_shared_and_values_are_not()
    {
        byte[] pairs = Encoding.ASCII.GetBytes("i\0Q1\0{mail_addr}\0a@example.org\0{odd_one}\0v\0dangling\0");
        List<KeyValuePair<string, string>> first = MilterCommandParser.ParseMacroPairs(new ReadOnlySequence<byte>(pairs));
        List<KeyValuePair<string, string>> second = MilterCommandParser.ParseMacroPairs(Segments.OneBytePerSegment(pairs));
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new KeyValuePair<string, string>[] { new("i", "Q1"), new("{mail_addr}", "a@example.org"), new("{odd_one}", "v") }));
            Assert.That(second, Is.EqualTo(first));
            Assert.That(second[1].Key, Is.SameAs(first[1].Key));
        });
    }
}
