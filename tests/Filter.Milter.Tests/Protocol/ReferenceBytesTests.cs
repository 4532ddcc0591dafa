using System.Buffers;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Protocol;

/// <summary>
/// The exact bytes of the annotated exchange in the project's milter protocol reference (§6.4, §13),
/// decoded and re-encoded.
/// </summary>
public sealed class ReferenceBytesTests
{
    [Test]
    public void Postfix_optneg_offer()
    {
        var command = (NegotiateCommand)DecodeCommand("00 00 00 0D 4F 00 00 00 06 00 00 01 FF 00 1F FF FF");
        Assert.That(command, Is.EqualTo(new NegotiateCommand(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined)));
    }

    [Test]
    public void Connect_inet()
    {
        const string hex = "00 00 00 24 43 63 6C 69 65 6E 74 2E 65 78 61 6D 70 6C 65 2E 6F 72 67 00 34 C0 00 31 39 38 2E 35 31 2E 31 30 30 2E 37 00";
        Assert.That(DecodeCommand(hex), Is.EqualTo(new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7")));
        Assert.That(Frames.Encode(new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7")), Is.EqualTo(Frames.Hex(hex)));
    }

    [Test]
    public void Connect_unknown_and_inet6()
    {
        Assert.That(DecodeCommand("00 00 00 0A 43 75 6E 6B 6E 6F 77 6E 00 55"), Is.EqualTo(new ConnectCommand("unknown", ConnectFamily.Unknown, 0, string.Empty)));
        Assert.That(
            DecodeCommand("00 00 00 1E 43 5B 32 30 30 31 3A 64 62 38 3A 3A 37 5D 00 36 00 19 32 30 30 31 3A 64 62 38 3A 3A 37 00"),
            Is.EqualTo(new ConnectCommand("[2001:db8::7]", ConnectFamily.Inet6, 25, "2001:db8::7")));
    }

    [Test]
    public void Empty_helo_macros_mail_and_header()
    {
        var macro = (MacroCommand)DecodeCommand("00 00 00 02 44 48");
        var mail = (MailCommand)DecodeCommand("00 00 00 1D 4D 3C 61 6C 69 63 65 40 65 78 61 6D 70 6C 65 2E 6F 72 67 3E 00 53 49 5A 45 3D 36 34 00");
        var header = (HeaderCommand)DecodeCommand("00 00 00 18 4C 46 72 6F 6D 00 61 6C 69 63 65 40 65 78 61 6D 70 6C 65 2E 6F 72 67 00");
        Assert.Multiple(() =>
        {
            Assert.That(macro.Stage, Is.EqualTo(MilterCommandCode.Helo));
            Assert.That(macro.Macros, Is.Empty);
            Assert.That(mail.Sender, Is.EqualTo("<alice@example.org>"));
            Assert.That(mail.Parameters, Is.EqualTo(new[] { "SIZE=64" }));
            Assert.That(header.Name, Is.EqualTo("From"));
            Assert.That(header.Value, Is.EqualTo("alice@example.org"));
        });
    }

    [TestCase("00 00 00 0D 4F 00 00 00 06 00 00 00 01 00 00 01 00", TestName = "OPTNEG reply ADDHDRS NOUNKNOWN")]
    [TestCase("00 00 00 0F 68 58 2D 43 68 65 63 6B 65 64 00 79 65 73 00", TestName = "ADDHEADER X-Checked yes")]
    [TestCase("00 00 00 1D 79 35 35 30 20 35 2E 37 2E 31 20 42 6C 6F 63 6B 65 64 20 62 79 20 70 6F 6C 69 63 79 00", TestName = "REPLYCODE 550")]
    [TestCase("00 00 00 17 6D 00 00 00 01 53 75 62 6A 65 63 74 00 5B 53 50 41 4D 5D 20 48 69 00", TestName = "CHGHEADER Subject")]
    [TestCase("00 00 00 0F 6D 00 00 00 02 52 65 63 65 69 76 65 64 00 00", TestName = "CHGHEADER delete Received 2")]
    [TestCase("00 00 00 11 69 00 00 00 00 58 2D 46 69 72 73 74 00 79 65 73 00", TestName = "INSHEADER at 0")]
    [TestCase("00 00 00 1F 65 3C 62 6F 75 6E 63 65 40 65 78 61 6D 70 6C 65 2E 6F 72 67 3E 00 52 45 54 3D 48 44 52 53 00", TestName = "CHGFROM with RET")]
    [TestCase("00 00 00 17 71 73 75 73 70 69 63 69 6F 75 73 20 61 74 74 61 63 68 6D 65 6E 74 00", TestName = "QUARANTINE")]
    [TestCase("00 00 00 35 4F 00 00 00 06 00 00 01 01 00 00 01 00 00 00 00 00 7B 63 6C 69 65 6E 74 5F 61 64 64 72 7D 20 6A 00 00 00 00 02 7B 61 75 74 68 5F 61 75 74 68 65 6E 7D 20 69 00", TestName = "OPTNEG reply with macro lists")]
    public void Response_bytes_round_trip(string hex)
    {
        byte[] bytes = Frames.Hex(hex);
        MilterResponse response = Frames.DecodeResponses(new ReadOnlySequence<byte>(bytes)).Single();
        Assert.That(Frames.Encode(response), Is.EqualTo(bytes));
    }

    [Test]
    public void Macro_lists_decode_to_their_stages()
    {
        var reply = (NegotiateResponse)Frames.DecodeResponses(new ReadOnlySequence<byte>(Frames.Hex(
            "00 00 00 35 4F 00 00 00 06 00 00 01 01 00 00 01 00 00 00 00 00 7B 63 6C 69 65 6E 74 5F 61 64 64 72 7D 20 6A 00 00 00 00 02 7B 61 75 74 68 5F 61 75 74 68 65 6E 7D 20 69 00"))).Single();
        Assert.That(reply.MacroLists, Is.EqualTo(new[] { new MacroListRequest(MacroStage.Connect, "{client_addr} j"), new MacroListRequest(MacroStage.Mail, "{auth_authen} i") }));
    }

    private static MilterCommand DecodeCommand(string hex) => Frames.DecodeCommands(new ReadOnlySequence<byte>(Frames.Hex(hex))).Single();
}
