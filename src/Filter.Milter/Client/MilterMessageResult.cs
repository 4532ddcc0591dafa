using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>The outcome of <see cref="MilterClient.SendMessageAsync"/>: what the MTA would do with the message.</summary>
/// <param name="Action">The MTA's resulting action.</param>
/// <param name="DecidedAt">The command whose reply decided it (usually end of message).</param>
/// <param name="Decision">The deciding response (CONTINUE at end of message when accepted normally).</param>
/// <param name="Modifications">Modifications sent at end of message, in wire order.</param>
/// <param name="RejectedRecipients">Recipients the milter refused, with the response for each.</param>
public sealed record MilterMessageResult(
    MilterMessageAction Action,
    MilterCommandCode DecidedAt,
    MilterResponse Decision,
    IReadOnlyList<MilterResponse> Modifications,
    IReadOnlyList<KeyValuePair<string, MilterResponse>> RejectedRecipients)
{
    /// <summary>The REPLYCODE text, if the decision carried one.</summary>
    public string? ReplyText => (Decision as ReplyCodeResponse)?.Text;

    /// <summary>The quarantine reason, if the message was quarantined.</summary>
    public string? QuarantineReason
    {
        get
        {
            foreach (MilterResponse modification in Modifications)
            {
                if (modification is QuarantineResponse quarantine)
                {
                    return quarantine.Reason;
                }
            }

            return null;
        }
    }

    /// <summary>The header edits (ADDHEADER, INSHEADER, CHGHEADER) in wire order.</summary>
    public IReadOnlyList<MilterResponse> HeaderEdits
    {
        get
        {
            var edits = new List<MilterResponse>();
            foreach (MilterResponse modification in Modifications)
            {
                if (modification.Code is MilterResponseCode.AddHeader or MilterResponseCode.InsertHeader or MilterResponseCode.ChangeHeader)
                {
                    edits.Add(modification);
                }
            }

            return edits;
        }
    }
}
