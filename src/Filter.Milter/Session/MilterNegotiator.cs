using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// The negotiation algorithm of milter reference §4.5: answer min(MTA version, 6), keep only the
/// offered actions, request the skip and no-reply bits the MTA offers, and remember which
/// no-reply bits must be emulated.
/// </summary>
internal static class MilterNegotiator
{
    public static bool TryNegotiate(
        NegotiateCommand offer,
        MilterCapabilities capabilities,
        out MilterNegotiation? negotiation,
        out NegotiateResponse? reply,
        out MilterActionFlags droppedActions,
        out MilterProtocolViolation? violation)
    {
        negotiation = null;
        reply = null;
        droppedActions = MilterActionFlags.None;
        if (offer.Version < MilterLimits.MinimumProtocolVersion)
        {
            // Sendmail refuses version 1 and no MTA in use speaks it (§4.2).
            violation = new MilterProtocolViolation(
                MilterViolationKind.UnsupportedVersion, (byte)MilterCommandCode.Negotiate, $"MTA offers protocol version {offer.Version}, 2 or later required");
            return false;
        }

        uint version = Math.Min(offer.Version, MilterLimits.ProtocolVersion);

        // An offer of 0 means the v1 groups (§4.1).
        MilterActionFlags mtaActions = offer.Actions == 0 ? MilterActionFlags.Version1 : offer.Actions;
        MilterProtocolFlags mtaProtocol = offer.Protocol == 0 ? MilterProtocolFlags.Version1Steps : offer.Protocol;
        mtaProtocol &= ~MilterProtocolFlags.Internal;

        bool macroLists = capabilities.MacroLists.Count > 0 && version >= 6 && (mtaActions & MilterActionFlags.SetMacroList) != 0;
        MilterActionFlags wantedActions = capabilities.Actions & ~MilterActionFlags.SetMacroList;
        if (macroLists)
        {
            wantedActions |= MilterActionFlags.SetMacroList;
        }

        MilterActionFlags actions = wantedActions & mtaActions;
        droppedActions = wantedActions & ~mtaActions;

        MilterProtocolFlags wanted = MilterProtocolFlags.None;
        foreach (MilterSteps step in MilterStepMap.Each())
        {
            if ((capabilities.Steps & step) == 0)
            {
                // Not needed: ask the MTA not to send it, and not to wait should it send it anyway.
                wanted |= MilterStepMap.SkipFlagOf(step) | MilterStepMap.NoReplyFlagOf(step);
            }
            else if ((capabilities.ReplySteps & step) == 0)
            {
                wanted |= MilterStepMap.NoReplyFlagOf(step);
            }
        }

        if ((capabilities.Steps & capabilities.ReplySteps & MilterSteps.Body) != 0)
        {
            wanted |= MilterProtocolFlags.Skip;
        }

        if (capabilities.HeaderLeadingSpace)
        {
            wanted |= MilterProtocolFlags.HeaderLeadingSpace;
        }

        if (capabilities.RejectedRecipients)
        {
            wanted |= MilterProtocolFlags.RecipientRejected;
        }

        MilterProtocolFlags protocol = wanted & mtaProtocol;
        MilterProtocolFlags emulated = wanted & MilterProtocolFlags.AllNoReply & ~protocol;

        negotiation = new MilterNegotiation(version, actions, protocol, emulated, offer);
        reply = new NegotiateResponse(version, actions, protocol, macroLists ? WithEndOfHeadersList(capabilities.MacroLists) : []);
        violation = null;
        return true;
    }

    // Sendmail 8.18 picks the per-milter EOM list by testing whether an EOH list was supplied,
    // so an EOM list is always accompanied by an EOH entry (§6.4).
    private static IReadOnlyList<MacroListRequest> WithEndOfHeadersList(IReadOnlyList<MacroListRequest> lists)
    {
        bool hasEndOfMessage = false;
        bool hasEndOfHeaders = false;
        foreach (MacroListRequest list in lists)
        {
            hasEndOfMessage |= list.Stage == MacroStage.EndOfMessage;
            hasEndOfHeaders |= list.Stage == MacroStage.EndOfHeaders;
        }

        if (!hasEndOfMessage || hasEndOfHeaders)
        {
            return lists;
        }

        var copy = new List<MacroListRequest>(lists) { new(MacroStage.EndOfHeaders, string.Empty) };
        return copy;
    }
}
