namespace Filter.Milter.Protocol;

/// <summary>
/// A protocol violation by the peer, as a value. The session that meets one logs it and closes
/// that one connection; nothing else is affected.
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Code">The packet's code byte, or 0 when the frame header itself was bad.</param>
/// <param name="Reason">A sentence for the log.</param>
public sealed record MilterProtocolViolation(MilterViolationKind Kind, byte Code, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} (code 0x{Code:X2}): {Reason}";
}
