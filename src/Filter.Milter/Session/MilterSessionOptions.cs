namespace Filter.Milter.Session;

/// <summary>Limits and failure answers of a session. Every limit is enforced and tested.</summary>
public sealed record MilterSessionOptions
{
    /// <summary>Largest payload accepted from the MTA; a larger packet closes the connection. Default 1 MiB (reference §2.1).</summary>
    public int MaxPayloadLength { get; init; } = Protocol.MilterLimits.DefaultMaxPayloadLength;

    /// <summary>Largest total of header name and value bytes per message. Default 1 MiB.</summary>
    public int MaxHeaderBytes { get; init; } = 1024 * 1024;

    /// <summary>Most header fields per message. Default 1000.</summary>
    public int MaxHeaderCount { get; init; } = 1000;

    /// <summary>The answer for a message over a header limit.</summary>
    public MilterDecision HeaderLimitDecision { get; init; } =
        MilterDecision.Reject(SmtpReply.Create(552, "5.3.4", "Message header section too large"));

    /// <summary>The answer for a message whose handler threw (a bug): by default a tempfail, so mail is retried, not lost.</summary>
    public MilterDecision HandlerFailureDecision { get; init; } =
        MilterDecision.TempFail(SmtpReply.Create(451, "4.3.0", "Temporary filter failure"));
}
