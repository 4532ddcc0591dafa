namespace Filter.Milter.Client;

/// <summary>What the MTA would do with a message after the milter's answers (reference §7.3).</summary>
public enum MilterMessageAction
{
    /// <summary>Delivered (CONTINUE or ACCEPT); may still be quarantined.</summary>
    Accept,
    /// <summary>Rejected with a 5xx.</summary>
    Reject,
    /// <summary>Temporarily refused with a 4xx.</summary>
    TempFail,
    /// <summary>Accepted and dropped.</summary>
    Discard,
    /// <summary>421 and the SMTP session closed (SHUTDOWN or a 421 reply).</summary>
    Shutdown,
}
