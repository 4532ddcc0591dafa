using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Session;

public sealed class MilterMacrosTests
{
    [Test]
    public void Single_letter_names_match_with_and_without_braces()
    {
        var macros = new MilterMacros();
        macros.Set(new MacroCommand(MilterCommandCode.Connect, [new("{j}", "mx.example.net"), new("_", "client [192.0.2.1]")]));
        Assert.Multiple(() =>
        {
            Assert.That(macros["j"], Is.EqualTo("mx.example.net"));
            Assert.That(macros["{j}"], Is.EqualTo("mx.example.net"));
            Assert.That(macros["{_}"], Is.EqualTo("client [192.0.2.1]"));
            Assert.That(macros["{daemon_name}"], Is.Null);
        });
    }

    [Test]
    public void Lookups_take_the_latest_stage_first()
    {
        var macros = new MilterMacros();
        macros.Set(new MacroCommand(MilterCommandCode.Mail, [new("i", "from-mail")]));
        macros.Set(new MacroCommand(MilterCommandCode.Data, [new("i", "from-data")]));
        Assert.That(macros["i"], Is.EqualTo("from-data"));
    }

    [Test]
    public void Connect_helo_mail_and_rcpt_clear_later_stages_only()
    {
        var macros = new MilterMacros();
        macros.Set(new MacroCommand(MilterCommandCode.Connect, [new("j", "mx")]));
        macros.Set(new MacroCommand(MilterCommandCode.Mail, [new("{mail_addr}", "a@example.org")]));
        macros.Set(new MacroCommand(MilterCommandCode.Recipient, [new("{rcpt_addr}", "b@example.net")]));
        macros.Set(new MacroCommand(MilterCommandCode.EndOfMessage, [new("i", "Q1")]));

        macros.OnCommand(MilterCommandCode.Mail);
        Assert.Multiple(() =>
        {
            Assert.That(macros["j"], Is.EqualTo("mx"));
            Assert.That(macros["{mail_addr}"], Is.EqualTo("a@example.org"));
            Assert.That(macros["{rcpt_addr}"], Is.Null);
            Assert.That(macros["i"], Is.Null);
        });
    }

    [Test]
    public void Postfix_header_and_body_lists_are_filed_under_eoh_and_eom_and_unknown_stages_do_not_fail()
    {
        var macros = new MilterMacros();
        macros.Set(new MacroCommand(MilterCommandCode.Header, [new("i", "Q2")]));
        macros.Set(new MacroCommand(MilterCommandCode.Body, [new("{msg_id}", "<m@x>")]));
        macros.Set(new MacroCommand((MilterCommandCode)'Z', [new("{odd}", "1")]));
        Assert.Multiple(() =>
        {
            Assert.That(macros.GetStage(MilterCommandCode.EndOfHeaders).Single().Value, Is.EqualTo("Q2"));
            Assert.That(macros.GetStage(MilterCommandCode.EndOfMessage).Single().Value, Is.EqualTo("<m@x>"));
            Assert.That(macros["{odd}"], Is.EqualTo("1"));
        });
    }

    [Test]
    public void Clearing_the_message_keeps_connect_and_helo()
    {
        var macros = new MilterMacros();
        macros.Set(new MacroCommand(MilterCommandCode.Connect, [new("j", "mx")]));
        macros.Set(new MacroCommand(MilterCommandCode.Helo, [new("{tls_version}", "TLSv1.3")]));
        macros.Set(new MacroCommand(MilterCommandCode.Mail, [new("{auth_authen}", "alice")]));
        macros.ClearMessage();
        Assert.Multiple(() =>
        {
            Assert.That(macros["j"], Is.EqualTo("mx"));
            Assert.That(macros["{tls_version}"], Is.EqualTo("TLSv1.3"));
            Assert.That(macros["{auth_authen}"], Is.Null);
        });
    }

    [Test]
    public void A_raw_packet_is_decoded_on_lookup_and_replaced_by_a_different_one()
    {
        var macros = new MilterMacros();
        macros.SetRaw(Raw('M', "{mail_addr}", "a@example.org", "i", "Q1"));
        Assert.That(macros["{mail_addr}"], Is.EqualTo("a@example.org"));

        macros.SetRaw(Raw('M', "{mail_addr}", "b@example.org"));
        Assert.Multiple(() =>
        {
            Assert.That(macros["{mail_addr}"], Is.EqualTo("b@example.org"));
            Assert.That(macros["i"], Is.Null);
        });
    }

    [Test]
    public void The_same_raw_packet_again_keeps_its_decoded_pairs_and_refills_a_cleared_slot()
    {
        var macros = new MilterMacros();
        System.Buffers.ReadOnlySequence<byte> packet = Raw('L', "i", "Q7");
        macros.SetRaw(packet);
        IReadOnlyList<KeyValuePair<string, string>> decoded = macros.GetStage(MilterCommandCode.Header);

        macros.SetRaw(Support.Segments.OneBytePerSegment(System.Buffers.BuffersExtensions.ToArray(packet)));
        Assert.That(macros.GetStage(MilterCommandCode.Header), Is.SameAs(decoded));

        macros.ClearMessage();
        Assert.That(macros["i"], Is.Null);
        macros.SetRaw(packet);
        Assert.That(macros["i"], Is.EqualTo("Q7"));
    }

    [Test]
    public void Raw_packets_follow_the_stage_rules_of_parsed_ones()
    {
        var macros = new MilterMacros();
        macros.SetRaw(Raw('C', "j", "mx"));
        macros.SetRaw(Raw('R', "{rcpt_addr}", "b@example.net"));
        macros.SetRaw(new System.Buffers.ReadOnlySequence<byte>([]));
        macros.SetRaw(Raw('Z', "{odd}", "1", "dangling"));
        macros.OnCommand(MilterCommandCode.Mail);
        Assert.Multiple(() =>
        {
            Assert.That(macros["j"], Is.EqualTo("mx"));
            Assert.That(macros["{rcpt_addr}"], Is.Null);
            // The empty packet went to the slot of unknown stages; 'Z' replaced it there, its dangling name dropped.
            Assert.That(macros.GetStage((MilterCommandCode)'Z'), Is.EqualTo(new KeyValuePair<string, string>[] { new("{odd}", "1") }));
        });
    }

    [Test]
    public void A_packet_larger_than_the_raw_bound_is_decoded_at_once_and_still_found()
    {
        var macros = new MilterMacros();
        string big = new('x', 5000);
        macros.SetRaw(Raw('E', "{big}", big, "i", "Q9"));
        Assert.Multiple(() =>
        {
            Assert.That(macros["{big}"], Is.EqualTo(big));
            Assert.That(macros["i"], Is.EqualTo("Q9"));
        });
    }

    private static System.Buffers.ReadOnlySequence<byte> Raw(char stage, params string[] strings)
    {
        var bytes = new List<byte> { (byte)stage };
        foreach (string value in strings)
        {
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(value));
            bytes.Add(0);
        }

        return new System.Buffers.ReadOnlySequence<byte>(bytes.ToArray());
    }
}
