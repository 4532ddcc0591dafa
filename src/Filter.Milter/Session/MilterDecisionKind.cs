namespace Filter.Milter.Session;

/// <summary>What a handler decides at a step (milter reference §7.3).</summary>
public enum MilterDecisionKind
{
    /// <summary>Go on (at end of message: accept).</summary>
    Continue,
    /// <summary>Accept; no more commands for this message (at CONNECT/HELO: for the session).</summary>
    Accept,
    /// <summary>Reject (5xx): the session, the command, one recipient or the message, by stage.</summary>
    Reject,
    /// <summary>Temporary failure (4xx), scoped as for reject.</summary>
    TempFail,
    /// <summary>Accept and silently drop the message.</summary>
    Discard,
    /// <summary>After a body chunk: send no more chunks (only where the MTA offers SKIP; otherwise CONTINUE).</summary>
    Skip,
}
