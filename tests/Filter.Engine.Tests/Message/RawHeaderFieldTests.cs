using System.Text;
using Filter.Engine.Message;

namespace Filter.Engine.Tests.Message;

/// <summary>How a field is rebuilt from the milter's name and value (DKIM simple canonicalization hashes these bytes).</summary>
public sealed class RawHeaderFieldTests
{
    [TestCase(" plain", "Subject: plain")]
    [TestCase(" folded\n\tline", "Subject: folded\r\n\tline")]
    [TestCase(" folded\r\n\tline", "Subject: folded\r\n\tline")]
    [TestCase(" ends\r\n", "Subject: ends")]
    [TestCase(" ends\n", "Subject: ends")]
    [TestCase("\n", "Subject:")]
    [TestCase("\r\n", "Subject:")]
    [TestCase("\n\n", "Subject:\r\n")]
    [TestCase("\r", "Subject:\r")]
    [TestCase(" a\n\n b\r\n\r\n", "Subject: a\r\n\r\n b\r\n")]
    [TestCase("", "Subject:")]
    public void Bare_line_feeds_get_their_CR_and_the_final_line_break_is_dropped(string value, string expected)
    {
        RawHeaderField field = RawHeaderField.Create("Subject", Encoding.Latin1.GetBytes(value));

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.Latin1.GetString(field.Bytes), Is.EqualTo(expected));
            Assert.That(field.ValueOffset, Is.EqualTo("Subject:".Length));
            Assert.That(field.Name, Is.EqualTo("Subject"));
        });
    }

    [Test]
    public void The_name_keeps_its_bytes_but_loses_trailing_whitespace()
    {
        RawHeaderField field = RawHeaderField.Create("X-Odd \t", Encoding.Latin1.GetBytes(" v"));

        Assert.Multiple(() =>
        {
            Assert.That(field.Name, Is.EqualTo("X-Odd"));
            Assert.That(Encoding.Latin1.GetString(field.Bytes), Is.EqualTo("X-Odd \t: v"), "simple canonicalization sees the name as written");
        });
    }

    [Test]
    public void Random_values_match_a_byte_by_byte_reference()
    {
        // Values over the bytes that matter (CR, LF, WSP, text), against the rule written the slow way.
        var random = new Random(20261126);
        byte[] alphabet = "a\r\n \t"u8.ToArray();
        for (var round = 0; round < 20_000; round++)
        {
            var value = new byte[random.Next(0, 12)];
            for (var i = 0; i < value.Length; i++)
            {
                value[i] = alphabet[random.Next(alphabet.Length)];
            }

            byte[] actual = RawHeaderField.Create("H", value).Bytes;
            byte[] expected = Reference("H", value);
            Assert.That(actual, Is.EqualTo(expected), () => "value " + Convert.ToHexString(value));
        }
    }

    private static byte[] Reference(string name, byte[] value)
    {
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(name)) { (byte)':' };
        var valueStart = bytes.Count;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == (byte)'\n' && (i == 0 || value[i - 1] != (byte)'\r'))
            {
                bytes.Add((byte)'\r');
            }

            bytes.Add(value[i]);
        }

        if (bytes.Count - valueStart >= 2 && bytes[^2] == (byte)'\r' && bytes[^1] == (byte)'\n')
        {
            bytes.RemoveRange(bytes.Count - 2, 2);
        }

        return [.. bytes];
    }
}
