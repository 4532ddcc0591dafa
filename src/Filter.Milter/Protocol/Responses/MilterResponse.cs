namespace Filter.Milter.Protocol;

/// <summary>
/// A packet from the milter to the MTA (milter reference §7). Each response is a sealed record;
/// the session encodes them, <see cref="MilterResponseParser"/> decodes them (the client side).
/// </summary>
public abstract record MilterResponse : IMilterPacket
{
    /// <summary>The response byte.</summary>
    public abstract MilterResponseCode Code { get; }

    /// <summary>
    /// True for the modifications that are only allowed between end of message and its final
    /// decision (§7.2): header, recipient, sender and body changes and quarantine.
    /// </summary>
    public virtual bool IsModification => false;

    byte IMilterPacket.PacketCode => (byte)Code;

    int IMilterPacket.GetPayloadLength() => GetPayloadLength();

    void IMilterPacket.WritePayload(Span<byte> destination) => WritePayload(destination);

    private protected virtual int GetPayloadLength() => 0;

    private protected virtual void WritePayload(Span<byte> destination)
    {
    }
}
