namespace Filter.Milter.Protocol;

/// <summary>What kind of protocol violation closed a connection.</summary>
public enum MilterViolationKind
{
    /// <summary>A length field of 0: there must be at least the code byte (§2).</summary>
    ZeroLength,
    /// <summary>A payload above the configured limit.</summary>
    Oversized,
    /// <summary>A command or response code this protocol does not define.</summary>
    UnknownCode,
    /// <summary>A payload that does not have the layout its code requires.</summary>
    Malformed,
    /// <summary>A well-formed packet that is not allowed at this point of the conversation.</summary>
    Unexpected,
    /// <summary>The peer speaks a protocol version we cannot talk to.</summary>
    UnsupportedVersion,
}
