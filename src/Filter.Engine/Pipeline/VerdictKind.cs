namespace Filter.Engine.Pipeline;

/// <summary>The four answers the pipeline can give the MTA at end of message.</summary>
public enum VerdictKind
{
    /// <summary>Deliver (our Authentication-Results header is still written).</summary>
    Accept,

    /// <summary>Deliver to the MTA's hold queue (milter QUARANTINE).</summary>
    Quarantine,

    /// <summary>Refuse with a permanent 5xx reply.</summary>
    Reject,

    /// <summary>Refuse with a temporary 4xx reply so the sender retries.</summary>
    Tempfail,
}
