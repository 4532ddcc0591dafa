using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// What a handler needs from the MTA; the session turns it into the OPTNEG reply
/// (milter reference §4.5) so that the MTA sends only the steps needed and waits for a reply only
/// where the handler may say something other than CONTINUE.
/// </summary>
/// <param name="Steps">Steps the handler wants to see; the others are skipped (SMFIP_NO*).</param>
/// <param name="ReplySteps">
/// Steps at which the handler may decide something other than CONTINUE. Every other step is
/// negotiated as no-reply (SMFIP_NR_*) where the MTA offers it, so it costs no round trip.
/// End of message always gets a reply.
/// </param>
/// <param name="Actions">Modifications the handler may send at end of message.</param>
/// <param name="MacroLists">Macro lists to request (v6 with SMFIF_SETSYMLIST only), or empty to take the MTA's.</param>
/// <param name="HeaderLeadingSpace">Ask for SMFIP_HDR_LEADSPC: header values arrive and leave with their exact leading whitespace.</param>
/// <param name="RejectedRecipients">Ask for SMFIP_RCPT_REJ: also see recipients the MTA rejected.</param>
public sealed record MilterCapabilities(
    MilterSteps Steps,
    MilterSteps ReplySteps,
    MilterActionFlags Actions,
    IReadOnlyList<MacroListRequest> MacroLists,
    bool HeaderLeadingSpace = false,
    bool RejectedRecipients = false);
