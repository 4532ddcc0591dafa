namespace Filter.Engine.Policy;

/// <summary>What a DMARC failure under p=quarantine does.</summary>
public enum DmarcQuarantineAction
{
    /// <summary>Milter QUARANTINE: the MTA puts the message in its hold queue (default).</summary>
    Quarantine,

    /// <summary>Accept and add the tag header, so delivery can file the message in a Junk folder.</summary>
    Tag,

    /// <summary>Accept; only the Authentication-Results header records the failure.</summary>
    Accept,
}
