using System.Text;
using Filter.Milter.Protocol;

namespace Filter.Milter.Tests.Protocol;

/// <summary>The client writes MACRO, HEADER and BODY frames without command objects; the bytes must be the commands' own.</summary>
public sealed class DirectFrameWriteTests
{
    [Test]
    public void A_macro_frame_written_from_a_list_equals_the_command_encoding()
    {
        KeyValuePair<string, string>[] macros = [new("i", "4QX2Lm0Zk9z"), new("{mail_addr}", "älice@example.org"), new("{empty}", "")];
        Assert.Multiple(() =>
        {
            Assert.That(Direct(w => MacroCommand.WriteFrame(w, MilterCommandCode.Mail, macros)), Is.EqualTo(Encoded(new MacroCommand(MilterCommandCode.Mail, macros))));
            Assert.That(Direct(w => MacroCommand.WriteFrame(w, MilterCommandCode.Header, [])), Is.EqualTo(Encoded(new MacroCommand(MilterCommandCode.Header, []))));
        });
    }

    [TestCase("Subject", " Quarterly report")]
    [TestCase("X-Empty", "")]
    [TestCase("Ünïcode-Name", " v\n\tfolded")]
    public void A_header_frame_written_from_bytes_equals_the_command_encoding(string name, string value)
    {
        byte[] raw = Encoding.UTF8.GetBytes(value);
        Assert.That(Direct(w => HeaderCommand.WriteFrame(w, name, raw)), Is.EqualTo(Encoded(new HeaderCommand(name, raw))));
    }

    [Test]
    public void A_body_frame_written_from_bytes_equals_the_command_encoding()
    {
        byte[] chunk = new byte[70_000 / 2];
        new Random(7).NextBytes(chunk);
        Assert.Multiple(() =>
        {
            Assert.That(Direct(w => BodyCommand.WriteFrame(w, chunk)), Is.EqualTo(Encoded(new BodyCommand(chunk.AsMemory()))));
            Assert.That(Direct(w => BodyCommand.WriteFrame(w, [])), Is.EqualTo(Encoded(new BodyCommand(ReadOnlyMemory<byte>.Empty))));
        });
    }

    [Test]
    public void A_nul_in_a_macro_name_is_refused_as_by_the_command()
    {
        KeyValuePair<string, string>[] macros = [new("bad\0name", "x")];
        using var writer = new PooledBufferWriter(64);
        Assert.Throws<ArgumentException>(() => MacroCommand.WriteFrame(writer, MilterCommandCode.Mail, macros));
    }

    private static byte[] Direct(Action<PooledBufferWriter> write)
    {
        using var writer = new PooledBufferWriter(64);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Encoded(MilterCommand command)
    {
        using var writer = new PooledBufferWriter(64);
        MilterFrameWriter.Write(writer, command);
        return writer.WrittenSpan.ToArray();
    }
}
