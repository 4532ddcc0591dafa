namespace Filter.Engine.Pipeline;

/// <summary>
/// What the policy decided for one message.
/// </summary>
/// <param name="Kind">Accept, quarantine, reject or tempfail.</param>
/// <param name="Reply">The SMTP reply for <see cref="VerdictKind.Reject"/> and <see cref="VerdictKind.Tempfail"/>; null otherwise.</param>
/// <param name="Reason">Why, for a human and the log: "DMARC p=reject for example.com", "trusted network"...</param>
public sealed record AuthenticationVerdict(VerdictKind Kind, VerdictReply? Reply, string Reason)
{
    /// <summary>The verdict as one lower-case word: accept, quarantine, reject, tempfail.</summary>
    public string Word => Kind switch
    {
        VerdictKind.Accept => "accept",
        VerdictKind.Quarantine => "quarantine",
        VerdictKind.Reject => "reject",
        VerdictKind.Tempfail => "tempfail",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown verdict"),
    };

    /// <summary>
    /// The value of the tag header (<see cref="Policy.OutcomeActions.TagHeader"/>) when the policy says
    /// "tag" or "accept-and-tag", e.g. <c>quarantine; dmarc=fail header.from=example.com</c>; else null.
    /// </summary>
    public string? Tag { get; init; }

    public static AuthenticationVerdict Accept(string reason) => new(VerdictKind.Accept, null, reason);
}
