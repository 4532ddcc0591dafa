namespace Filter.Engine.Policy;

/// <summary>What a DMARC failure under p=reject does.</summary>
public enum DmarcRejectAction
{
    /// <summary>Reject at end of DATA with the configured reject reply (default).</summary>
    Reject,

    /// <summary>Quarantine: the MTA puts the message in its hold queue.</summary>
    Quarantine,

    /// <summary>Accept and add the tag header, for sites that only want to observe.</summary>
    AcceptAndTag,
}
