using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// The outcome of option negotiation for one milter connection (milter reference §4).
/// </summary>
/// <param name="Version">The version both sides speak.</param>
/// <param name="Actions">The actions we announced (a subset of the MTA's offer).</param>
/// <param name="Protocol">The protocol bits we requested (a subset of the MTA's offer).</param>
/// <param name="EmulatedNoReply">
/// No-reply bits we wanted but the MTA did not offer: for those steps the session answers
/// CONTINUE itself, as libmilter does.
/// </param>
/// <param name="Offer">What the MTA offered.</param>
public sealed record MilterNegotiation(
    uint Version,
    MilterActionFlags Actions,
    MilterProtocolFlags Protocol,
    MilterProtocolFlags EmulatedNoReply,
    NegotiateCommand Offer)
{
    /// <summary>True when the MTA will not read a reply to <paramref name="step"/>.</summary>
    public bool IsNoReply(MilterSteps step)
    {
        MilterProtocolFlags flag = MilterStepMap.NoReplyFlagOf(step);
        return flag != MilterProtocolFlags.None && (Protocol & flag) == flag;
    }

    /// <summary>True when the action was negotiated.</summary>
    public bool Allows(MilterActionFlags action) => (Actions & action) == action;

    /// <summary>True when header values keep their leading space both ways (SMFIP_HDR_LEADSPC).</summary>
    public bool HeaderLeadingSpace => (Protocol & MilterProtocolFlags.HeaderLeadingSpace) != 0;
}
