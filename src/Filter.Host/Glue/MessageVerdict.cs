namespace Filter.Host.Glue;

/// <summary>
/// The decision for one message: a kind, the full SMTP reply line for reject and tempfail
/// (<c>550 5.7.1 text</c>, already formatted from the policy's templates) and a reason a human can
/// read, used as the quarantine reason and in the log line.
/// </summary>
/// <param name="Kind">The decision.</param>
/// <param name="ReplyLine">The reply line for <see cref="MessageVerdictKind.Reject"/> and <see cref="MessageVerdictKind.TempFail"/>; null otherwise.</param>
/// <param name="Reason">Why, for the log and the quarantine reason.</param>
internal sealed record MessageVerdict(MessageVerdictKind Kind, string? ReplyLine, string Reason)
{
    /// <summary>Accept, with the reason for the log.</summary>
    public static MessageVerdict Accept(string reason) => new(MessageVerdictKind.Accept, null, reason);

    /// <summary>Word for logs and metric tags: accept, quarantine, reject, tempfail.</summary>
    public string Word => Kind switch
    {
        MessageVerdictKind.Accept => "accept",
        MessageVerdictKind.Quarantine => "quarantine",
        MessageVerdictKind.Reject => "reject",
        _ => "tempfail",
    };
}
