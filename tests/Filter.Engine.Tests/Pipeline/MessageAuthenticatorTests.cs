using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Engine.Spf;
using Filter.Engine.Tests.Dns;
using Filter.Testing.Dns;
using static Filter.Engine.Tests.Pipeline.PipelineScenario;

namespace Filter.Engine.Tests.Pipeline;

/// <summary>
/// The whole pipeline over zone data with messages signed in the test: results, verdicts, replies
/// and header edits under the default policy and under each policy knob (DESIGN.md "One message").
/// </summary>
public sealed class MessageAuthenticatorTests
{
    private static Task<AuthenticationOutcome> RunAsync(byte[] message, MessageEnvelope envelope, FilterPolicy? policy = null) =>
        PipelineScenario.RunAsync(NewEngine(new ZoneResolver(Zone()), policy), message, envelope);

    private static byte[] Unsigned(string domain) => NewMessage($"Alice <alice@{domain}>");

    [Test]
    public async Task DmarcRejectPolicyFailing_IsRejectedWithConfiguredReply()
    {
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.Fail));
            Assert.That(outcome.Dkim.Single().Code, Is.EqualTo(DkimResultCode.None));
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Reject));
            Assert.That(outcome.Verdict.Reply!.Code, Is.EqualTo(550));
            Assert.That(outcome.Verdict.Reply.EnhancedStatus, Is.EqualTo("5.7.1"));
            Assert.That(outcome.Verdict.Reply.Line, Does.StartWith("550 5.7.1 Message rejected: DMARC policy of reject.example ("));
            Assert.That(outcome.Verdict.Reply.Text, Does.StartWith("Message rejected: DMARC policy of reject.example ("));
            Assert.That(outcome.AuthenticationResults, Does.Contain("dmarc=fail"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("disposition=reject"));
        });
    }

    [Test]
    public async Task DmarcQuarantinePolicyFailing_IsQuarantined()
    {
        var outcome = await RunAsync(Unsigned("quarantine.example"), Envelope(BadClient, "bounce@quarantine.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Quarantine));
            Assert.That(outcome.Verdict.Reply, Is.Null);
        });
    }

    [Test]
    public async Task AlignedDkimPass_IsAcceptedAndRecorded()
    {
        var message = Signed(Unsigned("reject.example"), "reject.example");
        var outcome = await RunAsync(message, Envelope(BadClient, "bounce@reject.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.Fail), "SPF fails from an outside address");
            Assert.That(outcome.Dkim.Single().Code, Is.EqualTo(DkimResultCode.Pass), outcome.Dkim.Single().Reason);
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(outcome.Insertions[0], Is.EqualTo(new HeaderInsertion(0, "Authentication-Results", outcome.AuthenticationResults)));
            Assert.That(outcome.AuthenticationResults, Does.StartWith(AuthservId + ";"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("spf=fail"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("dkim=pass"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("header.d=reject.example"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("dmarc=pass"));
        });
    }

    [Test]
    public async Task AlignedSpfPass_IsAccepted()
    {
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(GoodClient, "bounce@reject.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
        });
    }

    [Test]
    public async Task NullSender_ChecksTheHeloIdentity()
    {
        var envelope = Envelope(GoodClient, "") with { Helo = "reject.example" };
        var outcome = await RunAsync(Unsigned("reject.example"), envelope);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Sender, Is.EqualTo("postmaster@reject.example"));
            Assert.That(outcome.Spf.Code, Is.EqualTo(SpfResultCode.Pass));
        });
    }

    [Test]
    public async Task HeloCheck_WhenAsked_IsRecordedBesideMailFrom()
    {
        var plain = NewEngine(new ZoneResolver(Zone()));
        var engine = new MessageAuthenticationEngine(new ZoneResolver(Zone()), TestPolicy(), plain.TimeProvider, plain.Logger,
            new MessageAuthenticatorOptions { CheckHelo = true });
        var envelope = Envelope(GoodClient, "bounce@relaxed.example") with { Helo = "reject.example" };

        var outcome = await PipelineScenario.RunAsync(engine, Unsigned("relaxed.example"), envelope);
        var without = await PipelineScenario.RunAsync(plain, Unsigned("relaxed.example"), envelope);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.SpfHelo!.Identity, Is.EqualTo(SpfIdentity.Helo));
            Assert.That(outcome.SpfHelo.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(outcome.AuthenticationResults, Does.Contain("smtp.helo=reject.example"));
            Assert.That(without.SpfHelo, Is.Null);
            Assert.That(without.AuthenticationResults, Does.Not.Contain("smtp.helo"));
        });
    }

    [Test]
    public async Task BodyFedByteByByte_VerifiesLikeOneChunk()
    {
        var message = Signed(Unsigned("reject.example"), "reject.example");
        var engine = NewEngine(new ZoneResolver(Zone()), null) ;
        var tiny = new MessageAuthenticationEngine(new ZoneResolver(Zone()), TestPolicy(), engine.TimeProvider, engine.Logger,
            new MessageAuthenticatorOptions { FileChunkSize = 1 });

        var outcome = await PipelineScenario.RunAsync(tiny, message, Envelope(BadClient, "bounce@reject.example"));

        Assert.That(outcome.Dkim.Single().Code, Is.EqualTo(DkimResultCode.Pass));
    }

    [Test]
    public async Task DnsTimeoutOnDmarcRecord_Tempfails451()
    {
        var outcome = await RunAsync(Unsigned("slow.example"), Envelope(BadClient, "bounce@slow.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.TempError));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Tempfail));
            Assert.That(outcome.Verdict.Reply!.Code, Is.EqualTo(451));
            Assert.That(outcome.Verdict.Reply.EnhancedStatus, Does.StartWith("4.7."));
            Assert.That(outcome.Verdict.Reply.Line, Does.StartWith("451 4.7.1 Temporary failure checking slow.example ("));
            Assert.That(outcome.AuthenticationResults, Does.Contain("dmarc=temperror"));
        });
    }

    [Test]
    public async Task DnsTimeout_WithTemperrorAccept_Accepts()
    {
        var policy = TestPolicy() with { Actions = new OutcomeActions { Temperror = TemporaryFailureAction.Accept } };
        var outcome = await RunAsync(Unsigned("slow.example"), Envelope(BadClient, "bounce@slow.example"), policy);

        Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
    }

    [Test]
    public async Task AuthenticatedSubmitter_IsAcceptedWithResultsRecorded()
    {
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example", authenticatedUser: "alice"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(outcome.Verdict.Reason, Does.Contain("authenticated submitter alice"));
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Fail), "results are still computed");
            Assert.That(outcome.AuthenticationResults, Does.Contain("dmarc=fail"));
            Assert.That(outcome.AuthenticationResults, Does.Contain("auth=pass smtp.auth=alice"), "RFC 8601 §2.7.4: the login is recorded");
        });
    }

    [Test]
    public async Task UnauthenticatedClient_HasNoAuthEntry()
    {
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        Assert.That(outcome.AuthenticationResults, Does.Not.Contain("auth="));
    }

    [Test]
    public async Task AuthenticatedSubmitter_WithBypassOff_IsJudged()
    {
        var policy = TestPolicy() with { Trust = new TrustSettings { BypassAuthenticated = false } };
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example", authenticatedUser: "alice"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Reject));
            Assert.That(outcome.AuthenticationResults, Does.Contain("auth=pass smtp.auth=alice"), "recorded even when judged");
        });
    }

    [Test]
    public async Task TrustedNetwork_IsAcceptedWithResultsRecorded()
    {
        var policy = TestPolicy() with { Trust = new TrustSettings { Networks = [System.Net.IPNetwork.Parse("198.51.100.0/24")] } };
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(outcome.Verdict.Reason, Does.Contain("trusted network"));
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.Fail));
            Assert.That(outcome.AuthenticationResults, Does.Contain("spf=fail"));
        });
    }

    [Test]
    public async Task ForgedAuthenticationResults_OursDeletedByOccurrence_OthersKept()
    {
        var forged =
            "Authentication-Results: mx.test.example; dkim=pass header.d=reject.example\r\n"      // 1: ours
            + "Authentication-Results: other.example; spf=pass smtp.mailfrom=reject.example\r\n" // 2: foreign
            + "Authentication-Results: (injected) MX.TEST.EXAMPLE.; dmarc=pass\r\n"              // 3: ours, comment + case + root dot
            + "Received: from somewhere by relay.other.example; Wed, 25 Nov 2026 11:59:00 +0000\r\n"
            + "Authentication-Results: mx(x).test.example; dmarc=pass\r\n"                       // 4: ours split by a comment
            + "Authentication-Results: mx.test.example.evil; dmarc=pass\r\n"                     // 5: someone else's token
            + "X-AuthFilter-Disposition: none; dmarc=pass\r\n";                                   // tag header posing as ours
        var outcome = await RunAsync(NewMessage("Alice <alice@reject.example>", forged), Envelope(GoodClient, "bounce@reject.example"));

        var arDeletions = outcome.Deletions.Where(d => d.Name == "Authentication-Results").Select(d => d.Occurrence);
        Assert.Multiple(() =>
        {
            Assert.That(arDeletions, Is.EqualTo(new[] { 4, 3, 1 }), "highest first, so indexes stay valid as each is removed");
            Assert.That(outcome.Deletions.Where(d => d.Name == "X-AuthFilter-Disposition").Select(d => d.Occurrence), Is.EqualTo(new[] { 1 }));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
        });
    }

    [Test]
    public async Task MultipleFrom_DefaultPolicy_RejectsAndNeverPasses()
    {
        var message = Signed(NewMessage("Alice <alice@reject.example>", "From: Mallory <m@relaxed.example>\r\n"), "reject.example");
        var outcome = await RunAsync(message, Envelope(GoodClient, "bounce@reject.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.Not.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Reject));
            Assert.That(outcome.Verdict.Reply!.Line, Does.StartWith("550 5.7.1"));
        });
    }

    [Test]
    public async Task MultipleFrom_Strictest_EvaluatesEachAndNeverPasses()
    {
        var policy = TestPolicy() with { Dmarc = new DmarcSettings { MultipleFrom = MultipleFromHandling.Strictest } };
        // Signed and SPF-aligned for reject.example only; relaxed.example (p=none) fails.
        var message = Signed(NewMessage("Alice <alice@reject.example>", "From: Mallory <m@relaxed.example>\r\n"), "reject.example");
        var outcome = await RunAsync(message, Envelope(GoodClient, "bounce@reject.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(outcome.Verdict.Kind, Is.Not.EqualTo(VerdictKind.Reject), "p=none of relaxed.example decides");
        });
    }

    [Test]
    public async Task Override_ForceAcceptByFromDomain()
    {
        var policy = TestPolicy() with { Overrides = Overrides((OverrideIdentity.FromDomain, "reject.example", OverrideAction.Accept)) };
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(outcome.Verdict.Reason, Does.Contain("override from reject.example"));
        });
    }

    [Test]
    public async Task Override_ForceRejectByEnvelopeSenderDomain()
    {
        var policy = TestPolicy() with { Overrides = Overrides((OverrideIdentity.MailFromDomain, "*.example", OverrideAction.Reject)) };
        var outcome = await RunAsync(Unsigned("relaxed.example"), Envelope(GoodClient, "bounce@relaxed.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Reject));
            Assert.That(outcome.Verdict.Reply!.Line, Does.StartWith("550 5.7.1 Message rejected: DMARC policy of *.example (local policy)"));
        });
    }

    [Test]
    public async Task Override_LowerTurnsRejectIntoQuarantine()
    {
        var policy = TestPolicy() with { Overrides = Overrides((OverrideIdentity.FromDomain, "reject.example", OverrideAction.Lower)) };
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"), policy);

        Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Quarantine));
    }

    [Test]
    public async Task Override_RaiseTurnsNoneIntoQuarantine()
    {
        var policy = TestPolicy() with { Overrides = Overrides((OverrideIdentity.FromDomain, "relaxed.example", OverrideAction.Raise)) };
        var unchanged = await RunAsync(Unsigned("relaxed.example"), Envelope(BadClient, "bounce@relaxed.example"));
        var raised = await RunAsync(Unsigned("relaxed.example"), Envelope(BadClient, "bounce@relaxed.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(unchanged.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(raised.Verdict.Kind, Is.EqualTo(VerdictKind.Quarantine));
        });
    }

    [Test]
    public async Task Override_RaiseDoesNothingToAPass()
    {
        var policy = TestPolicy() with { Overrides = Overrides((OverrideIdentity.FromDomain, "relaxed.example", OverrideAction.Raise)) };
        var outcome = await RunAsync(Unsigned("relaxed.example"), Envelope(GoodClient, "bounce@relaxed.example"), policy);

        Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
    }

    [Test]
    public async Task RejectActionAcceptAndTag_AcceptsAndInsertsTagHeader()
    {
        var policy = TestPolicy() with { Actions = new OutcomeActions { DmarcReject = DmarcRejectAction.AcceptAndTag } };
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
            Assert.That(outcome.Insertions, Has.Count.EqualTo(2));
            Assert.That(outcome.Insertions[1], Is.EqualTo(new HeaderInsertion(1, "X-AuthFilter-Disposition", "reject; dmarc=fail header.from=reject.example")));
        });
    }

    [Test]
    public async Task SpfFailWithRejectOnFail_RejectsWithSpfReply()
    {
        var policy = TestPolicy() with { Spf = new SpfSettings { OnFail = SpfFailAction.Reject } };
        var message = Signed(Unsigned("reject.example"), "reject.example");
        var outcome = await RunAsync(message, Envelope(BadClient, "bounce@reject.example"), policy);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Reject));
            Assert.That(outcome.Verdict.Reply!.Line, Does.StartWith("550 5.7.23 SPF check failed for reject.example ("));
        });
    }

    [Test]
    public async Task SpfFailAlone_DoesNotRejectByDefault()
    {
        var outcome = await RunAsync(Unsigned("relaxed.example"), Envelope(BadClient, "bounce@relaxed.example"));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.Fail));
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
        });
    }

    [Test]
    public async Task EngineBug_BecomesConfiguredEngineErrorAction_WithLoggedReason()
    {
        var logger = new RecordingLogger();
        var engine = NewEngine(new ThrowingResolver(new ZoneResolver(Zone())), null, logger);
        var outcome = await PipelineScenario.RunAsync(engine, Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        var acceptEngine = NewEngine(new ThrowingResolver(new ZoneResolver(Zone())), TestPolicy() with { Actions = new OutcomeActions { EngineError = TemporaryFailureAction.Accept } });
        var accepted = await PipelineScenario.RunAsync(acceptEngine, Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        var error = logger.Entries.Single(e => e.Id.Id == 1601);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsEngineError, Is.True);
            Assert.That(outcome.Verdict.Kind, Is.EqualTo(VerdictKind.Tempfail));
            Assert.That(outcome.Verdict.Reply!.Line, Does.StartWith("451 4.7.1 Temporary failure checking reject.example (internal error)"));
            Assert.That(outcome.AuthenticationResults, Is.EqualTo(AuthservId + "; none"));
            Assert.That(error.Exception, Is.InstanceOf<InvalidOperationException>());
            Assert.That(error.Text, Does.Contain("QID1").And.Contain("tempfail"));
            Assert.That(logger.Entries.Single(e => e.Id.Id == 1600).Text, Does.Contain("engine-error"));
            Assert.That(accepted.IsEngineError, Is.True);
            Assert.That(accepted.Verdict.Kind, Is.EqualTo(VerdictKind.Accept));
        });
    }

    [Test]
    public async Task LookupsStartAtMailFromAndEndOfHeaders_NotAtEndOfMessage()
    {
        // The gate holds every answer until end of message; the recorder notes when each query is asked.
        var gate = new GatedResolver(new ZoneResolver(Zone()));
        var recorder = new QueryRecordingResolver(gate);
        var message = Signed(Unsigned("reject.example"), "reject.example");
        using var authenticator = NewEngine(recorder).StartMessage();

        authenticator.OnConnect(new ClientConnection(BadClient, null));
        authenticator.OnHelo("client.test.example");
        var beforeMailFrom = recorder.TxtNames();
        authenticator.OnMailFrom("<bounce@reject.example>", CancellationToken.None);
        var afterMailFrom = recorder.TxtNames();

        var text = Encoding.Latin1.GetString(message);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var field in text[..split].Replace("\r\n\t", "\n\t").Replace("\r\n ", "\n ").Split("\r\n"))
        {
            var colon = field.IndexOf(':');
            authenticator.OnHeader(field[..colon], Encoding.Latin1.GetBytes(field[(colon + 1)..].Replace("\n", "\r\n")));
        }

        var afterHeaders = recorder.TxtNames();
        authenticator.OnEndOfHeaders(CancellationToken.None);
        var afterEndOfHeaders = recorder.TxtNames();
        authenticator.OnBodyChunk(Encoding.Latin1.GetBytes(text[(split + 4)..]));
        var beforeEnd = recorder.TxtNames();
        gate.Open();
        var outcome = await authenticator.CompleteAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(beforeMailFrom, Is.Empty);
            Assert.That(afterMailFrom, Is.EqualTo(new[] { "reject.example" }), "SPF starts at MAIL FROM");
            Assert.That(afterHeaders, Is.EqualTo(afterMailFrom), "nothing more until end of headers");
            Assert.That(afterEndOfHeaders, Does.Contain("sel._domainkey.reject.example"), "DKIM key lookup at end of headers");
            Assert.That(afterEndOfHeaders, Does.Contain("_dmarc.reject.example"), "DMARC discovery at end of headers");
            Assert.That(beforeEnd, Is.EqualTo(afterEndOfHeaders), "the body starts no lookup");
            Assert.That(outcome.Dmarc!.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(outcome.Dkim.Single().Code, Is.EqualTo(DkimResultCode.Pass));
        });
    }

    [Test]
    public void Cancellation_IsNotSwallowed()
    {
        var gate = new GatedResolver(new ZoneResolver(Zone()));
        using var authenticator = NewEngine(gate).StartMessage();
        authenticator.OnConnect(new ClientConnection(BadClient, null));
        authenticator.OnMailFrom("bounce@reject.example", CancellationToken.None);
        authenticator.OnHeader("From", " alice@reject.example"u8);
        authenticator.OnEndOfHeaders(CancellationToken.None);
        authenticator.OnBodyChunk("body\r\n"u8);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await authenticator.CompleteAsync(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        gate.Open();
    }

    [Test]
    public async Task SummaryLine_NamesQueueClientResultsVerdictAndTime()
    {
        var outcome = await RunAsync(Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        Assert.That(OutcomeSummary.Format(outcome),
            Is.EqualTo("queue=QID1 client=198.51.100.7 spf=fail dkim=none dmarc=fail(reject.example) verdict=reject ms=0"));
    }

    [Test]
    public async Task SummaryLine_IsWrittenByDefault_AndNotWhenTheOptionsTurnItOff()
    {
        var written = new RecordingLogger();
        var silent = new RecordingLogger();
        var plain = NewEngine(new ZoneResolver(Zone()));
        var writing = new MessageAuthenticationEngine(new ZoneResolver(Zone()), TestPolicy(), plain.TimeProvider, written);
        var quiet = new MessageAuthenticationEngine(new ZoneResolver(Zone()), TestPolicy(), plain.TimeProvider, silent,
            new MessageAuthenticatorOptions { WriteSummaryLine = false });

        var outcome = await PipelineScenario.RunAsync(writing, Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));
        var quietOutcome = await PipelineScenario.RunAsync(quiet, Unsigned("reject.example"), Envelope(BadClient, "bounce@reject.example"));

        Assert.Multiple(() =>
        {
            Assert.That(written.Entries.Single(e => e.Id.Id == 1600).Text, Is.EqualTo(OutcomeSummary.Format(outcome)));
            Assert.That(silent.Entries.Where(e => e.Id.Id == 1600), Is.Empty);
            Assert.That(quietOutcome.Verdict.Kind, Is.EqualTo(outcome.Verdict.Kind), "the line is the only difference");
        });
    }

    private static DomainOverrideList Overrides(params (OverrideIdentity Identity, string Pattern, OverrideAction Action)[] items)
    {
        var list = new List<DomainOverride>();
        foreach (var (identity, pattern, action) in items)
        {
            var wildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
            list.Add(new DomainOverride(identity, new DomainPattern(wildcard ? pattern[2..] : pattern, wildcard), action, null));
        }

        return new DomainOverrideList(list);
    }
}
