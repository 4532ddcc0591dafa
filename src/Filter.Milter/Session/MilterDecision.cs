using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// A handler's decision at one step: a kind and, for reject and tempfail, an optional SMTP reply
/// that must be of the same class (5xx for reject, 4xx for tempfail; milter reference §11.1).
/// </summary>
public sealed record MilterDecision
{
    private MilterDecision(MilterDecisionKind kind, SmtpReply? reply)
    {
        Kind = kind;
        Reply = reply;
    }

    /// <summary>The decision.</summary>
    public MilterDecisionKind Kind { get; }

    /// <summary>The reply text for reject and tempfail, or null for the MTA's default text.</summary>
    public SmtpReply? Reply { get; }

    /// <summary>CONTINUE.</summary>
    public static MilterDecision Continue { get; } = new(MilterDecisionKind.Continue, null);

    /// <summary>ACCEPT.</summary>
    public static MilterDecision Accept { get; } = new(MilterDecisionKind.Accept, null);

    /// <summary>DISCARD.</summary>
    public static MilterDecision Discard { get; } = new(MilterDecisionKind.Discard, null);

    /// <summary>SKIP (body chunks only).</summary>
    public static MilterDecision Skip { get; } = new(MilterDecisionKind.Skip, null);

    /// <summary>Reject with the MTA's default text.</summary>
    public static MilterDecision RejectDefault { get; } = new(MilterDecisionKind.Reject, null);

    /// <summary>Tempfail with the MTA's default text.</summary>
    public static MilterDecision TempFailDefault { get; } = new(MilterDecisionKind.TempFail, null);

    /// <summary>Reject with a 5xx reply.</summary>
    /// <exception cref="ArgumentException">The reply is not 5xx.</exception>
    public static MilterDecision Reject(SmtpReply reply) =>
        reply.IsTransient ? throw new ArgumentException("A reject needs a 5xx reply.", nameof(reply)) : new(MilterDecisionKind.Reject, reply);

    /// <summary>Tempfail with a 4xx reply.</summary>
    /// <exception cref="ArgumentException">The reply is not 4xx.</exception>
    public static MilterDecision TempFail(SmtpReply reply) =>
        reply.IsTransient ? new(MilterDecisionKind.TempFail, reply) : throw new ArgumentException("A tempfail needs a 4xx reply.", nameof(reply));

    /// <summary>
    /// The response to send. <paramref name="skipAllowed"/> says whether SKIP is possible here
    /// (a body chunk, and the MTA offered SMFIP_SKIP); otherwise SKIP degrades to CONTINUE.
    /// </summary>
    public MilterResponse ToResponse(bool skipAllowed) => Kind switch
    {
        MilterDecisionKind.Continue => SimpleResponse.Continue,
        MilterDecisionKind.Accept => SimpleResponse.Accept,
        MilterDecisionKind.Discard => SimpleResponse.Discard,
        MilterDecisionKind.Skip => skipAllowed ? SimpleResponse.Skip : SimpleResponse.Continue,
        MilterDecisionKind.Reject => Reply is null ? SimpleResponse.Reject : new ReplyCodeResponse(Reply.WireText),
        MilterDecisionKind.TempFail => Reply is null ? SimpleResponse.TempFail : new ReplyCodeResponse(Reply.WireText),
        _ => SimpleResponse.Continue,
    };

    /// <inheritdoc />
    public override string ToString() => Reply is null ? Kind.ToString() : $"{Kind} {Reply.WireText}";
}
