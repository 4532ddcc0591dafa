namespace Filter.Engine.Policy;

/// <summary>
/// What to do with a message whose From header field names more than one author domain, or that
/// has more than one From field (RFC 5322 §3.6 allows exactly one From field).
/// </summary>
public enum MultipleFromHandling
{
    /// <summary>
    /// Reject with the DMARC reject reply: such mail is malformed or rare in legitimate use and a known
    /// spoofing trick (RFC 7489 §6.6.1 lets receivers reject it).
    /// </summary>
    Reject,

    /// <summary>Evaluate DMARC for every author domain and apply the strictest outcome.</summary>
    Strictest,
}
