using System.Buffers;
using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// The per-SMTP-session application logic a <see cref="MilterSession"/> drives, one stage at a
/// time, strictly in order, never concurrently. The session calls a method only for steps listed
/// in <see cref="MilterCapabilities.Steps"/>; the decision is sent only where the step is a
/// reply step (otherwise the MTA is not listening and the session drops it). Every method has a
/// default that continues, so a handler implements only what it needs.
/// A handler may keep per-message state: it is reset by <see cref="OnAbortAsync"/>, after
/// <see cref="OnEndOfMessageAsync"/>, and never shared across sessions.
/// Exceptions other than cancellation are caught by the session, logged, and turned into the
/// configured failure decision for the message.
/// </summary>
public interface IMilterHandler
{
    /// <summary>CONNECT: the SMTP client (§5.3). Accept/reject here apply to the whole session.</summary>
    ValueTask<MilterDecision> OnConnectAsync(ConnectCommand connect, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>HELO/EHLO (§5.4); may repeat, in which case any open message was aborted first.</summary>
    ValueTask<MilterDecision> OnHeloAsync(HeloCommand helo, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>MAIL FROM: a new message begins (§5.5).</summary>
    ValueTask<MilterDecision> OnMailAsync(MailCommand mail, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>RCPT TO, once per recipient (§5.6); reject applies to this recipient only.</summary>
    ValueTask<MilterDecision> OnRecipientAsync(RecipientCommand recipient, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>DATA (§5.7).</summary>
    ValueTask<MilterDecision> OnDataAsync(MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>
    /// One header field, in message order (§5.8, §8.1). <see cref="MilterHeader.RawValue"/> is a view of
    /// the receive buffer, valid only until the returned task completes.
    /// </summary>
    ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>End of the header section (§5.9).</summary>
    ValueTask<MilterDecision> OnEndOfHeadersAsync(MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>
    /// One body chunk (§9): not aligned to lines. <paramref name="chunk"/> is a slice of the
    /// receive buffer, valid only until the returned task completes.
    /// </summary>
    ValueTask<MilterDecision> OnBodyChunkAsync(ReadOnlySequence<byte> chunk, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>An SMTP command the MTA did not recognise (§5.12).</summary>
    ValueTask<MilterDecision> OnUnknownAsync(UnknownCommand unknown, MilterContext context, CancellationToken cancellationToken) => Continue;

    /// <summary>
    /// End of message (§5.11): the modifications to make and the final decision. Always called,
    /// always answered; the session writes the whole answer in one flush.
    /// </summary>
    ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(MilterMessageOutcome.Accept);

    /// <summary>The open message is void (ABORT, a new HELO or MAIL mid-message, a lost connection, a limit hit). Called at most once per message.</summary>
    ValueTask OnAbortAsync(MilterContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The SMTP session is over (QUIT, QUIT_NC, end of stream or a protocol violation). Called exactly once.</summary>
    ValueTask OnCloseAsync(MilterContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static ValueTask<MilterDecision> Continue => ValueTask.FromResult(MilterDecision.Continue);
}
