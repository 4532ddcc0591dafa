using System.Buffers;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Protocol;

/// <summary>Every command encoded, then decoded whole, one byte per segment, byte by byte as it arrives, and in random segments.</summary>
public sealed class MilterCommandCodecTests
{
    private static IEnumerable<TestCaseData> Commands()
    {
        yield return Case("OPTNEG", new NegotiateCommand(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined));
        yield return Case("MACRO connect", new MacroCommand(MilterCommandCode.Connect, [new("j", "mx.example.net"), new("{daemon_name}", "mx"), new("v", "Postfix 3.7.11")]));
        yield return Case("MACRO empty", new MacroCommand(MilterCommandCode.Helo, []));
        yield return Case("MACRO empty value", new MacroCommand(MilterCommandCode.Mail, [new("{auth_authen}", string.Empty)]));
        yield return Case("CONNECT inet", new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7"));
        yield return Case("CONNECT inet6", new ConnectCommand("[2001:db8::7]", ConnectFamily.Inet6, 25, "2001:db8::7"));
        yield return Case("CONNECT local", new ConnectCommand("localhost", ConnectFamily.Local, 0, "/var/run/smtp.sock"));
        yield return Case("CONNECT unknown", new ConnectCommand("unknown", ConnectFamily.Unknown, 0, string.Empty));
        yield return Case("HELO", new HeloCommand("client.example.org"));
        yield return Case("HELO empty", new HeloCommand(string.Empty));
        yield return Case("MAIL", new MailCommand("<alice@example.org>", ["SIZE=64", "BODY=8BITMIME"]));
        yield return Case("MAIL null sender", new MailCommand("<>", []));
        yield return Case("RCPT", new RecipientCommand("<bob@example.net>", ["NOTIFY=NEVER"]));
        yield return Case("RCPT utf8", new RecipientCommand("<bjørn@exämple.net>", []));
        yield return Case("DATA", DataCommand.Instance);
        yield return Case("HEADER", new HeaderCommand("Subject", "Hi"));
        yield return Case("HEADER folded", new HeaderCommand("Content-Type", "multipart/mixed;\n\tboundary=\"x\""));
        yield return Case("HEADER 8-bit", new HeaderCommand("X-Latin1", new byte[] { 0x63, 0x61, 0x66, 0xE9 }));
        yield return Case("HEADER empty value", new HeaderCommand("X-Empty", string.Empty));
        yield return Case("EOH", EndOfHeadersCommand.Instance);
        yield return Case("BODY", new BodyCommand("Hello\r\nWorld\0with NUL\r\n"u8.ToArray().AsMemory()));
        yield return Case("BODY full chunk", new BodyCommand(Enumerable.Range(0, MilterLimits.MaxChunkSize).Select(i => (byte)i).ToArray().AsMemory()));
        yield return Case("EOB", EndOfMessageCommand.Empty);
        yield return Case("EOB with final chunk", new EndOfMessageCommand(new ReadOnlySequence<byte>("tail\r\n"u8.ToArray())));
        yield return Case("ABORT", AbortCommand.Instance);
        yield return Case("QUIT", QuitCommand.Instance);
        yield return Case("QUIT_NC", QuitNewConnectionCommand.Instance);
        yield return Case("UNKNOWN", new UnknownCommand("XYZZY now"));
    }

    private static TestCaseData Case(string name, MilterCommand command) => new TestCaseData(command).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Commands))]
    public void Whole_buffer_round_trips(MilterCommand command)
    {
        byte[] bytes = Frames.Encode(command);
        List<MilterCommand> decoded = Frames.DecodeCommands(new ReadOnlySequence<byte>(bytes));
        Assert.That(decoded, Has.Count.EqualTo(1));
        AssertSame(command, decoded[0], bytes);
    }

    [TestCaseSource(nameof(Commands))]
    public void One_byte_per_segment_round_trips(MilterCommand command)
    {
        byte[] bytes = Frames.Encode(command);
        List<MilterCommand> decoded = Frames.DecodeCommands(Segments.OneBytePerSegment(bytes));
        Assert.That(decoded, Has.Count.EqualTo(1));
        AssertSame(command, decoded[0], bytes);
    }

    [TestCaseSource(nameof(Commands))]
    public void Arriving_byte_by_byte_is_incomplete_until_the_last_byte(MilterCommand command)
    {
        byte[] bytes = Frames.Encode(command);
        int step = Math.Max(1, bytes.Length / 512);
        for (int length = 0; length < bytes.Length; length += step)
        {
            var prefix = new ReadOnlySequence<byte>(bytes, 0, length);
            MilterFrameStatus status = MilterFrameReader.TryRead(ref prefix, MilterLimits.DefaultMaxPayloadLength, out _, out _);
            Assert.That(status, Is.EqualTo(MilterFrameStatus.Incomplete), $"prefix of {length} bytes");
            Assert.That(prefix.Length, Is.EqualTo(length), "an incomplete read must not consume");
        }

        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.That(MilterFrameReader.TryRead(ref whole, MilterLimits.DefaultMaxPayloadLength, out _, out _), Is.EqualTo(MilterFrameStatus.Complete));
        Assert.That(whole.IsEmpty, Is.True);
    }

    [TestCaseSource(nameof(Commands))]
    public void Random_segments_round_trip(MilterCommand command)
    {
        byte[] bytes = Frames.Encode(command);
        for (int seed = 1; seed <= 5; seed++)
        {
            List<MilterCommand> decoded = Frames.DecodeCommands(Segments.Random(bytes, new Random(seed)));
            Assert.That(decoded, Has.Count.EqualTo(1));
            AssertSame(command, decoded[0], bytes);
        }
    }

    [Test]
    public void A_whole_session_stream_in_random_segments_decodes_in_order()
    {
        MilterCommand[] all = Commands().Select(c => (MilterCommand)c.Arguments[0]!).ToArray();
        byte[] bytes = Frames.Encode(all);
        for (int seed = 1; seed <= 10; seed++)
        {
            List<MilterCommand> decoded = Frames.DecodeCommands(Segments.Random(bytes, new Random(seed)));
            Assert.That(decoded.Select(c => c.Code), Is.EqualTo(all.Select(c => c.Code)));
            Assert.That(Frames.Encode([.. decoded]), Is.EqualTo(bytes));
        }
    }

    [Test]
    public void Decoded_fields_are_the_encoded_ones()
    {
        byte[] bytes = Frames.Encode(
            new ConnectCommand("[2001:db8::7]", ConnectFamily.Inet6, 25, "IPv6:2001:db8::7"),
            new MailCommand("<alice@example.org>", ["SIZE=64"]),
            new HeaderCommand("X-Latin1", new byte[] { 0x63, 0x61, 0x66, 0xE9 }),
            new MacroCommand(MilterCommandCode.Recipient, [new("{rcpt_addr}", "bob@example.net")]));
        List<MilterCommand> decoded = Frames.DecodeCommands(Segments.OneBytePerSegment(bytes));
        var connect = (ConnectCommand)decoded[0];
        var mail = (MailCommand)decoded[1];
        var header = (HeaderCommand)decoded[2];
        var macro = (MacroCommand)decoded[3];
        Assert.Multiple(() =>
        {
            Assert.That(connect.Family, Is.EqualTo(ConnectFamily.Inet6));
            Assert.That(connect.Port, Is.EqualTo(25));
            Assert.That(connect.TryGetIPAddress(out System.Net.IPAddress? address), Is.True);
            Assert.That(address!.ToString(), Is.EqualTo("2001:db8::7"));
            Assert.That(mail.Address, Is.EqualTo("alice@example.org"));
            Assert.That(mail.Parameters, Is.EqualTo(new[] { "SIZE=64" }));
            Assert.That(header.RawValue.ToArray(), Is.EqualTo(new byte[] { 0x63, 0x61, 0x66, 0xE9 }));
            Assert.That(header.Value, Is.EqualTo("café"), "invalid UTF-8 decodes as Latin-1");
            Assert.That(macro.Stage, Is.EqualTo(MilterCommandCode.Recipient));
            Assert.That(macro.Macros.Single().Value, Is.EqualTo("bob@example.net"));
        });
    }

    [Test]
    public void Tolerates_a_missing_final_nul_and_odd_macro_lists()
    {
        // 'H' "name" without NUL; 'D' 'M' "i" "Q1" "{x}" (odd count); 'L' "Subject\0Hi" without final NUL.
        byte[] bytes = Frames.Hex("00000005 48 6E616D65" + "0000000A 44 4D 6900 513100 7B787D" + "0000000B 4C 5375626A65637400 4869");
        List<MilterCommand> decoded = Frames.DecodeCommands(new ReadOnlySequence<byte>(bytes));
        Assert.Multiple(() =>
        {
            Assert.That(((HeloCommand)decoded[0]).Name, Is.EqualTo("name"));
            Assert.That(((MacroCommand)decoded[1]).Macros, Is.EqualTo(new[] { new KeyValuePair<string, string>("i", "Q1") }));
            Assert.That(((HeaderCommand)decoded[2]).Value, Is.EqualTo("Hi"));
        });
    }

    [Test]
    public void An_empty_macro_packet_without_stage_is_accepted()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Hex("00000001 44"));
        Assert.That(MilterFrameReader.TryRead(ref buffer, 100, out MilterFrame frame, out _), Is.EqualTo(MilterFrameStatus.Complete));
        Assert.That(MilterCommandParser.TryParse(frame, out MilterCommand? command, out _), Is.True);
        Assert.That(((MacroCommand)command!).Macros, Is.Empty);
    }

    [TestCase("00000005 4F 00000006", MilterViolationKind.Malformed, TestName = "OPTNEG shorter than 12 bytes")]
    [TestCase("00000006 43 6800 34 0019", MilterViolationKind.Malformed, TestName = "CONNECT inet without address")]
    [TestCase("00000003 43 6800", MilterViolationKind.Malformed, TestName = "CONNECT without family")]
    [TestCase("00000004 43 6800 5A", MilterViolationKind.Malformed, TestName = "CONNECT with unknown family")]
    [TestCase("00000005 4C 41424344", MilterViolationKind.Malformed, TestName = "HEADER without NUL")]
    [TestCase("00000001 5A", MilterViolationKind.UnknownCode, TestName = "unknown command Z")]
    [TestCase("00000001 01", MilterViolationKind.UnknownCode, TestName = "command below 0x20")]
    [TestCase("00000001 63", MilterViolationKind.UnknownCode, TestName = "a response code sent as command")]
    public void Malformed_commands_are_violations_not_exceptions(string hex, MilterViolationKind kind)
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Hex(hex));
        Assert.That(MilterFrameReader.TryRead(ref buffer, 1000, out MilterFrame frame, out _), Is.EqualTo(MilterFrameStatus.Complete));
        Assert.That(MilterCommandParser.TryParse(frame, out MilterCommand? command, out MilterProtocolViolation? violation), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(command, Is.Null);
            Assert.That(violation!.Kind, Is.EqualTo(kind));
        });
    }

    private static void AssertSame(MilterCommand expected, MilterCommand actual, byte[] expectedBytes)
    {
        Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()));
        Assert.That(actual.Code, Is.EqualTo(expected.Code));
        Assert.That(Frames.Encode(actual), Is.EqualTo(expectedBytes), "re-encoding the decoded command gives the same bytes");
    }
}
