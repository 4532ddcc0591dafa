namespace Filter.Engine.Dmarc;

/// <summary>
/// What the evaluation asks the receiver to do with this message: the effective policy for a
/// failing message, <see cref="None"/> otherwise. The local policy (Policy/) makes the final call
/// (RFC 9989 §5.4).
/// </summary>
public enum DmarcDisposition
{
    None,
    Quarantine,
    Reject,
}
