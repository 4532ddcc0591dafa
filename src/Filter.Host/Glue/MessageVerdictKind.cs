namespace Filter.Host.Glue;

/// <summary>What the MTA is told to do with one message at end of message.</summary>
internal enum MessageVerdictKind
{
    /// <summary>Deliver (milter CONTINUE after our header edits).</summary>
    Accept,

    /// <summary>Deliver into the MTA's hold queue (milter QUARANTINE, reference §11.2).</summary>
    Quarantine,

    /// <summary>Refuse with a 5xx reply (REPLYCODE).</summary>
    Reject,

    /// <summary>Refuse for now with a 4xx reply (REPLYCODE); the sender retries.</summary>
    TempFail,
}
