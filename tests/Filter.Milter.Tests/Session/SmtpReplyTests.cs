using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Session;

public sealed class SmtpReplyTests
{
    [Test]
    public void One_line_reply_with_enhanced_code()
    {
        Assert.That(SmtpReply.Create(550, "5.7.1", "Rejected by DMARC policy").WireText, Is.EqualTo("550 5.7.1 Rejected by DMARC policy"));
    }

    [Test]
    public void Percent_is_doubled_and_lines_are_joined_with_crlf()
    {
        SmtpReply reply = SmtpReply.Create(451, "4.7.1", ["100% busy", "try later"]);
        Assert.That(reply.WireText, Is.EqualTo("451-4.7.1 100%% busy\r\n451 4.7.1 try later"));
        Assert.That(reply.IsTransient, Is.True);
    }

    [TestCase(250, null, "ok", TestName = "2xx is not a milter reply")]
    [TestCase(550, "4.7.1", "x", TestName = "enhanced code of the wrong class")]
    [TestCase(550, "5.7", "x", TestName = "enhanced code with two parts")]
    [TestCase(550, null, "a\r\nb", TestName = "CRLF inside a line")]
    public void Invalid_replies_are_refused(int code, string? enhanced, string text)
    {
        Assert.Throws<ArgumentException>(() => SmtpReply.Create(code, enhanced, text));
    }

    [Test]
    public void Decisions_check_the_reply_class()
    {
        Assert.Throws<ArgumentException>(() => MilterDecision.Reject(SmtpReply.Create(451, null, "x")));
        Assert.Throws<ArgumentException>(() => MilterDecision.TempFail(SmtpReply.Create(550, null, "x")));
        Assert.That(MilterDecision.Reject(SmtpReply.Create(550, null, "x")).ToResponse(false), Is.EqualTo(new ReplyCodeResponse("550 x")));
        Assert.That(MilterDecision.RejectDefault.ToResponse(false), Is.SameAs(SimpleResponse.Reject));
        Assert.That(MilterDecision.Skip.ToResponse(false), Is.SameAs(SimpleResponse.Continue));
        Assert.That(MilterDecision.Skip.ToResponse(true), Is.SameAs(SimpleResponse.Skip));
    }
}
