using Filter.Host.Tests.Hosting;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Tests.Glue;

/// <summary>
/// The glue through the real daemon: messages signed with the engine's DKIM signer, DNS from a
/// zone file, driven by the milter client as an MTA would.
/// </summary>
public sealed class AuthenticationGlueTests
{
    private InProcessDaemon _daemon = null!;

    [OneTimeSetUp]
    public async Task StartDaemon() => _daemon = await InProcessDaemon.StartAsync();

    [OneTimeTearDown]
    public async Task StopDaemon() => await _daemon.DisposeAsync();

    [Test]
    public async Task DmarcRejectFailureGetsTheConfiguredReplyAtEndOfMessage()
    {
        MilterMessageResult result = await _daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);

        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Reject));
            Assert.That(result.DecidedAt, Is.EqualTo(MilterCommandCode.EndOfMessage));
            Assert.That(result.ReplyText, Does.StartWith("550 5.7.1 Message rejected: DMARC policy of reject.example ("));
            // A rejected message gets no header edits worth keeping, but ours is still computed and sent.
            Assert.That(result.QuarantineReason, Is.Null);
        });
    }

    [Test]
    public async Task PassingMessageGetsOurHeaderOnTopAndForgedOnesDeletedHighestIndexFirst()
    {
        string received = "Authentication-Results: mx.test; spf=pass smtp.mailfrom=forged@good.example\r\n"
            + "Authentication-Results: relay.other.example; dkim=pass header.d=good.example\r\n"
            + "Authentication-Results: mx.test;\r\n\tdmarc=pass header.from=good.example\r\n";
        byte[] message = TestMail.Signed(TestMail.Message("good.example", received));

        MilterMessageResult result = await _daemon.SendAsync(message, "alice@good.example");

        var edits = result.HeaderEdits;
        Assert.That(edits, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(edits[0], Is.EqualTo(new ChangeHeaderResponse(3, "Authentication-Results", string.Empty)));
            Assert.That(edits[1], Is.EqualTo(new ChangeHeaderResponse(1, "Authentication-Results", string.Empty)));
            var ours = (InsertHeaderResponse)edits[2];
            Assert.That(ours.Index, Is.Zero);
            Assert.That(ours.Name, Is.EqualTo("Authentication-Results"));
            // SMFIP_HDR_LEADSPC was negotiated, so the value carries its own leading space; folds are bare LF.
            Assert.That(ours.Value, Does.StartWith(" mx.test;"));
            Assert.That(ours.Value, Does.Not.Contain("\r"));
            Assert.That(ours.Value, Does.Contain("spf=pass"));
            Assert.That(ours.Value, Does.Contain("dkim=pass"));
            Assert.That(ours.Value, Does.Contain("header.d=good.example"));
            Assert.That(ours.Value, Does.Contain("dmarc=pass"));
        });
    }

    [Test]
    public async Task DnsTimeoutTempfailsWith451()
    {
        MilterMessageResult result = await _daemon.SendAsync(TestMail.Message("slow.example"), "alice@slow.example");

        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.TempFail));
            Assert.That(result.ReplyText, Does.Match(@"^451 4\.7\.\d+ "));
            Assert.That(result.ReplyText, Does.Contain("slow.example"));
        });
    }

    [Test]
    public async Task AuthenticatedClientIsAcceptedWithItsResultsRecorded()
    {
        MilterMessageResult result = await _daemon.SendAsync(
            TestMail.Message("reject.example"),
            "alice@reject.example",
            TestMail.StrangerClient,
            [new("{auth_authen}", "alice")]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
            var ours = result.HeaderEdits.OfType<InsertHeaderResponse>().Single();
            Assert.That(ours.Value, Does.Contain("spf=fail"));
            Assert.That(ours.Value, Does.Contain("dmarc=fail"));
            Assert.That(_daemon.Log.Lines(1000), Has.Some.Contains("authenticated submitter alice"));
        });
    }

    [Test]
    public async Task DmarcQuarantineFailureIsQuarantinedWithTheReason()
    {
        MilterMessageResult result = await _daemon.SendAsync(TestMail.Message("quarantine.example"), "alice@quarantine.example", TestMail.StrangerClient);

        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(result.QuarantineReason, Does.StartWith("DMARC fail for quarantine.example"));
            Assert.That(result.Modifications[^1], Is.InstanceOf<QuarantineResponse>(), "quarantine goes last");
        });
    }

    [Test]
    public async Task EndOfMessageWithoutMailFromGetsTheEngineErrorActionAndALogLine()
    {
        await using MilterClient client = await _daemon.ConnectAsync();
        // No MAIL FROM: the glue has no message to judge, which is a bug on one side or the other.
        await client.SendAsync(new HeaderCommand("From", "alice@good.example"u8.ToArray()), CancellationToken.None);
        MilterEndOfMessageReply reply = await client.SendEndOfMessageAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((reply.Decision as ReplyCodeResponse)?.Text, Does.Match(@"^451 4\.7\.\d+ "));
            Assert.That(reply.Modifications, Is.Empty);
            Assert.That(_daemon.Log.Lines(1001), Has.Some.Contains("check failed at eom"));
        });

        // The daemon goes on: the same connection judges the next message.
        MilterMessageResult next = await client.SendMessageAsync(
            MilterClientMessage.Parse(TestMail.Signed(TestMail.Message("good.example")), "<alice@good.example>", ["<bob@example.net>"]), CancellationToken.None);
        Assert.That(next.Action, Is.EqualTo(MilterMessageAction.Accept));
    }

    [Test]
    public async Task EachMessageLogsOneSummaryLine()
    {
        int before = _daemon.Log.Lines(1000).Count;

        await _daemon.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example");

        var lines = _daemon.Log.Lines(1000);
        Assert.That(lines, Has.Count.EqualTo(before + 1));
        string line = lines[^1];
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain("queue=4AbCdE1234"));
            Assert.That(line, Does.Contain("client=client.example[192.0.2.10]"));
            Assert.That(line, Does.Contain("helo=mail.good.example"));
            Assert.That(line, Does.Contain("mailfrom=alice@good.example"));
            Assert.That(line, Does.Contain("results=\"spf=pass dkim=pass(good.example) dmarc=pass(good.example)\""));
            Assert.That(line, Does.Contain("verdict=accept"));
            Assert.That(line, Does.Match(@"ms=\d"));
            Assert.That(_daemon.Log.Lines(1600), Is.Empty, "the pipeline's own summary is not written twice");
        });
    }
}
