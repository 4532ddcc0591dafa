using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Session;

public sealed class MilterNegotiatorTests
{
    private static readonly NegotiateCommand s_postfix = new(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined);

    [Test]
    public void Asks_postfix_to_skip_unneeded_steps_and_not_to_wait_where_the_handler_only_observes()
    {
        var capabilities = new MilterCapabilities(
            MilterSteps.Connect | MilterSteps.Mail | MilterSteps.Header | MilterSteps.EndOfHeaders | MilterSteps.Body,
            MilterSteps.Mail,
            MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine,
            []);
        Negotiate(s_postfix, capabilities, out MilterNegotiation negotiation, out NegotiateResponse reply);

        MilterProtocolFlags expected =
            MilterProtocolFlags.NoHelo | MilterProtocolFlags.NoRecipient | MilterProtocolFlags.NoData | MilterProtocolFlags.NoUnknown
            | MilterProtocolFlags.NoReplyConnect | MilterProtocolFlags.NoReplyHelo | MilterProtocolFlags.NoReplyRecipient | MilterProtocolFlags.NoReplyData
            | MilterProtocolFlags.NoReplyHeader | MilterProtocolFlags.NoReplyEndOfHeaders | MilterProtocolFlags.NoReplyBody | MilterProtocolFlags.NoReplyUnknown;
        Assert.Multiple(() =>
        {
            Assert.That(reply.Version, Is.EqualTo(6u));
            Assert.That(reply.Actions, Is.EqualTo(MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine));
            Assert.That(reply.Protocol, Is.EqualTo(expected));
            Assert.That(reply.MacroLists, Is.Empty);
            Assert.That(negotiation.EmulatedNoReply, Is.EqualTo(MilterProtocolFlags.None));
            Assert.That(negotiation.IsNoReply(MilterSteps.Mail), Is.False);
            Assert.That(negotiation.IsNoReply(MilterSteps.Header), Is.True);
        });
    }

    [Test]
    public void An_old_mta_gets_its_own_version_and_missing_no_reply_bits_are_emulated()
    {
        // Postfix with milter_protocol = 2 offers 0x7F (§4.1).
        var offer = new NegotiateCommand(2, MilterActionFlags.All, (MilterProtocolFlags)0x7F);
        var capabilities = new MilterCapabilities(MilterSteps.All, MilterSteps.None, MilterActionFlags.AddHeaders, [new MacroListRequest(MacroStage.Mail, "i")]);
        Negotiate(offer, capabilities, out MilterNegotiation negotiation, out NegotiateResponse reply);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Version, Is.EqualTo(2u));
            Assert.That(reply.Protocol & ~(MilterProtocolFlags)0x7F, Is.EqualTo(MilterProtocolFlags.None), "never more than offered");
            Assert.That(reply.MacroLists, Is.Empty, "macro lists need v6");
            Assert.That(reply.Actions, Is.EqualTo(MilterActionFlags.AddHeaders));
            Assert.That(negotiation.EmulatedNoReply, Is.EqualTo(MilterProtocolFlags.AllNoReply));
            Assert.That(negotiation.IsNoReply(MilterSteps.Header), Is.False, "the MTA will wait, so the session answers CONTINUE itself");
        });
    }

    [Test]
    public void Version_one_is_refused()
    {
        bool ok = MilterNegotiator.TryNegotiate(new NegotiateCommand(1, MilterActionFlags.All, MilterProtocolFlags.AllDefined), Everything(), out _, out _, out _, out MilterProtocolViolation? violation);
        Assert.That(ok, Is.False);
        Assert.That(violation!.Kind, Is.EqualTo(MilterViolationKind.UnsupportedVersion));
    }

    [Test]
    public void A_newer_mta_gets_version_six()
    {
        Negotiate(new NegotiateCommand(7, MilterActionFlags.All, MilterProtocolFlags.AllDefined), Everything(), out _, out NegotiateResponse reply);
        Assert.That(reply.Version, Is.EqualTo(6u));
    }

    [Test]
    public void Zero_offers_mean_the_version_one_groups_and_unoffered_actions_are_dropped()
    {
        var capabilities = new MilterCapabilities(MilterSteps.All, MilterSteps.All, MilterActionFlags.AddHeaders | MilterActionFlags.Quarantine, []);
        bool ok = MilterNegotiator.TryNegotiate(new NegotiateCommand(2, 0, 0), capabilities, out MilterNegotiation? negotiation, out NegotiateResponse? reply, out MilterActionFlags dropped, out _);
        Assert.That(ok, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(reply!.Actions, Is.EqualTo(MilterActionFlags.AddHeaders));
            Assert.That(dropped, Is.EqualTo(MilterActionFlags.Quarantine));
            Assert.That(reply.Protocol & ~MilterProtocolFlags.Version1Steps, Is.EqualTo(MilterProtocolFlags.None));
            Assert.That(negotiation!.Allows(MilterActionFlags.Quarantine), Is.False);
        });
    }

    [Test]
    public void Macro_lists_are_sent_only_when_setsymlist_is_offered_and_an_eom_list_brings_an_eoh_list()
    {
        var capabilities = new MilterCapabilities(MilterSteps.All, MilterSteps.None, MilterActionFlags.AddHeaders,
            [new MacroListRequest(MacroStage.Connect, "{client_addr} j"), new MacroListRequest(MacroStage.EndOfMessage, "i")]);
        Negotiate(s_postfix, capabilities, out _, out NegotiateResponse withLists);
        Negotiate(s_postfix with { Actions = MilterActionFlags.All & ~MilterActionFlags.SetMacroList }, capabilities, out _, out NegotiateResponse withoutLists);
        Assert.Multiple(() =>
        {
            Assert.That(withLists.Actions, Is.EqualTo(MilterActionFlags.AddHeaders | MilterActionFlags.SetMacroList));
            Assert.That(withLists.MacroLists.Select(l => l.Stage), Is.EqualTo(new[] { MacroStage.Connect, MacroStage.EndOfMessage, MacroStage.EndOfHeaders }));
            Assert.That(withoutLists.Actions, Is.EqualTo(MilterActionFlags.AddHeaders));
            Assert.That(withoutLists.MacroLists, Is.Empty);
        });
    }

    [Test]
    public void Extras_are_requested_only_when_needed_and_offered()
    {
        var capabilities = new MilterCapabilities(MilterSteps.All, MilterSteps.Body, MilterActionFlags.None, [], HeaderLeadingSpace: true, RejectedRecipients: true);
        Negotiate(s_postfix, capabilities, out _, out NegotiateResponse reply);
        Negotiate(s_postfix with { Protocol = MilterProtocolFlags.AllDefined & ~MilterProtocolFlags.HeaderLeadingSpace & ~MilterProtocolFlags.Skip }, capabilities, out _, out NegotiateResponse older);
        Negotiate(s_postfix with { Protocol = MilterProtocolFlags.AllDefined | MilterProtocolFlags.MaxDataSize1M }, Everything(), out _, out NegotiateResponse internalBits);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Protocol.HasFlag(MilterProtocolFlags.HeaderLeadingSpace), Is.True);
            Assert.That(reply.Protocol.HasFlag(MilterProtocolFlags.RecipientRejected), Is.True);
            Assert.That(reply.Protocol.HasFlag(MilterProtocolFlags.Skip), Is.True, "the handler may answer body chunks, so it may skip");
            Assert.That(reply.Protocol.HasFlag(MilterProtocolFlags.NoReplyBody), Is.False);
            Assert.That(older.Protocol.HasFlag(MilterProtocolFlags.HeaderLeadingSpace), Is.False);
            Assert.That(older.Protocol.HasFlag(MilterProtocolFlags.Skip), Is.False);
            Assert.That(internalBits.Protocol & MilterProtocolFlags.Internal, Is.EqualTo(MilterProtocolFlags.None));
        });
    }

    private static MilterCapabilities Everything() => new(MilterSteps.All, MilterSteps.All, MilterActionFlags.All, []);

    private static void Negotiate(NegotiateCommand offer, MilterCapabilities capabilities, out MilterNegotiation negotiation, out NegotiateResponse reply)
    {
        bool ok = MilterNegotiator.TryNegotiate(offer, capabilities, out MilterNegotiation? n, out NegotiateResponse? r, out _, out MilterProtocolViolation? violation);
        Assert.That(ok, Is.True, violation?.ToString());
        negotiation = n!;
        reply = r!;
    }
}
