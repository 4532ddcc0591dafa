using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>
/// The outcome of <see cref="MilterClient.SendPreparedAsync"/>: what <see cref="MilterMessageResult"/>
/// says, without the responses' contents, so that reading it allocates nothing. The replies were
/// checked as strictly as <see cref="MilterClient.SendMessageAsync"/> checks them.
/// </summary>
/// <param name="Action">The MTA's resulting action.</param>
/// <param name="DecidedAt">The command whose reply decided it (usually end of message).</param>
/// <param name="Decision">The deciding response's code (CONTINUE at end of message when accepted normally).</param>
/// <param name="ModificationCount">Modifications sent at end of message.</param>
/// <param name="RejectedRecipientCount">Recipients the milter refused.</param>
public readonly record struct MilterMessageSummary(
    MilterMessageAction Action,
    MilterCommandCode DecidedAt,
    MilterResponseCode Decision,
    int ModificationCount,
    int RejectedRecipientCount);
