using Filter.Engine.Policy;

namespace Filter.Engine.Tests.Policy;

[TestFixture]
public sealed class SmtpReplyTemplateTests
{
    [Test]
    public void FormatsCodeStatusAndSubstitutedText()
    {
        var reply = new SmtpReplyTemplate(550, "5.7.1", "DMARC policy of {domain} ({reason}); {domain} again");

        Assert.That(
            reply.Format("example.com", "no aligned pass"),
            Is.EqualTo("550 5.7.1 DMARC policy of example.com (no aligned pass); example.com again"));
    }

    [Test]
    public void DefaultRejectReplyReadsAsExpected() =>
        Assert.That(
            FilterPolicy.Default.Replies.DmarcReject.Format("example.com", "SPF and DKIM not aligned"),
            Is.EqualTo("550 5.7.1 Message rejected: DMARC policy of example.com (SPF and DKIM not aligned)"));

    [Test]
    public void UntrustedValuesCannotBreakTheReply()
    {
        var reply = new SmtpReplyTemplate(451, "4.7.1", "about {reason}");

        // A CR LF would start a new reply line; a lone '%' makes Sendmail drop the reply; non-ASCII is not allowed.
        Assert.That(
            reply.Format("example.com", "50% of\r\n250 OK\u00e9"),
            Is.EqualTo("451 4.7.1 about 50%% of??250 OK?"));
    }

    [Test]
    public void LongReplyIsCutToOneSmtpLineWithoutALonePercent()
    {
        var reply = new SmtpReplyTemplate(550, "5.7.1", "{reason}");
        var reason = new string('a', 499) + "%%%%%%%%%%%%%%%%%%%%";

        var formatted = reply.Format("example.com", reason);

        // "550 5.7.1 " is 10 characters, then 499 'a', then the cut falls inside the doubled percents.
        Assert.Multiple(() =>
        {
            Assert.That(formatted, Has.Length.LessThanOrEqualTo(SmtpReplyTemplate.MaximumReplyLength));
            Assert.That(formatted, Is.EqualTo("550 5.7.1 " + new string('a', 499)));
        });
    }

    [Test]
    public void WritesItselfAsInTheFile() =>
        Assert.That(new SmtpReplyTemplate(451, "4.7.1", "later {domain}").ToString(), Is.EqualTo("451 4.7.1 later {domain}"));
}
