using Filter.Engine.Pipeline;
using Filter.Host.Glue;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Host.Tests.Glue;

public sealed class MilterOutcomeWriterTests
{
    // The formatter folds with CRLF + WSP; the milter value must use bare LF (reference §8.2), start
    // without whitespace, and carry our own leading space only when SMFIP_HDR_LEADSPC was negotiated.
    [TestCase("mx.example.net; spf=pass", false, "mx.example.net; spf=pass")]
    [TestCase("mx.example.net; spf=pass", true, " mx.example.net; spf=pass")]
    [TestCase(" \tmx.example.net;\r\n\tspf=pass;\r\n\tdkim=pass", false, "mx.example.net;\n\tspf=pass;\n\tdkim=pass")]
    [TestCase(" mx.example.net;\r\n\tspf=pass", true, " mx.example.net;\n\tspf=pass")]
    [TestCase("a\r\n\r\n\tb\r\n", true, " a\n\n\tb\n")]
    [TestCase("lone\rcr and lone\nlf", false, "lone\rcr and lone\nlf")]
    [TestCase("", true, " ")]
    [TestCase("", false, "")]
    public void The_header_value_is_folded_with_bare_lf_and_spaced_as_negotiated(string value, bool leadingSpace, string expected)
    {
        Assert.That(MilterOutcomeWriter.HeaderValue(value, leadingSpace), Is.EqualTo(expected));
    }

    [Test]
    public void A_value_longer_than_the_stack_buffer_is_folded_the_same_way()
    {
        string line = new('x', 700);
        string value = line + "\r\n\t" + line + "\r\n\t" + line;
        Assert.That(MilterOutcomeWriter.HeaderValue(value, leadingSpace: true), Is.EqualTo(" " + line + "\n\t" + line + "\n\t" + line));
    }

    [Test]
    public void A_value_that_needs_nothing_is_returned_as_it_is()
    {
        string value = "mx.example.net; none";
        Assert.That(MilterOutcomeWriter.HeaderValue(value, leadingSpace: false), Is.SameAs(value));
    }

    [Test]
    public void Inserts_alone_come_out_in_order_with_the_decision()
    {
        AuthenticationOutcome outcome = Outcome(new AuthenticationVerdict(VerdictKind.Accept, null, "dmarc=pass"), [],
            [new HeaderInsertion(0, "Authentication-Results", "mx.example.net;\r\n\tspf=pass"), new HeaderInsertion(0, "X-Second", "v")]);
        MilterMessageOutcome answer = MilterOutcomeWriter.ToMilter(outcome, leadingSpace: true);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Decision, Is.SameAs(MilterDecision.Continue));
            Assert.That(answer.Modifications, Is.EqualTo(new MilterResponse[]
            {
                new InsertHeaderResponse(0, "Authentication-Results", " mx.example.net;\n\tspf=pass"),
                new InsertHeaderResponse(0, "X-Second", " v"),
            }));
        });
    }

    [Test]
    public void Deletions_and_quarantine_keep_the_edit_order_deletes_first_quarantine_last()
    {
        AuthenticationOutcome outcome = Outcome(new AuthenticationVerdict(VerdictKind.Quarantine, null, "dmarc=fail\r\npolicy"),
            [new HeaderDeletion("Authentication-Results", 1, "forged"), new HeaderDeletion("Authentication-Results", 2, "forged")],
            [new HeaderInsertion(0, "Authentication-Results", "mx.example.net; dmarc=fail")]);
        MilterMessageOutcome answer = MilterOutcomeWriter.ToMilter(outcome, leadingSpace: false);
        Assert.That(answer.Modifications, Is.EqualTo(new MilterResponse[]
        {
            new ChangeHeaderResponse(2, "Authentication-Results", string.Empty),
            new ChangeHeaderResponse(1, "Authentication-Results", string.Empty),
            new InsertHeaderResponse(0, "Authentication-Results", "mx.example.net; dmarc=fail"),
            new QuarantineResponse("dmarc=fail  policy"),
        }));
    }

    private static AuthenticationOutcome Outcome(AuthenticationVerdict verdict, IReadOnlyList<HeaderDeletion> deletions, IReadOnlyList<HeaderInsertion> insertions) =>
        new(null, null, [], null, verdict, deletions, insertions, "mx.example.net; none", 0);
}
