namespace Filter.Milter.Protocol;

/// <summary>
/// A packet from the MTA to the milter (milter reference §5). Each command is a sealed record;
/// <see cref="MilterCommandParser"/> builds them from frames and <see cref="MilterFrameWriter"/>
/// encodes them (the client side).
/// </summary>
public abstract record MilterCommand : IMilterPacket
{
    /// <summary>The command byte.</summary>
    public abstract MilterCommandCode Code { get; }

    byte IMilterPacket.PacketCode => (byte)Code;

    int IMilterPacket.GetPayloadLength() => GetPayloadLength();

    void IMilterPacket.WritePayload(Span<byte> destination) => WritePayload(destination);

    private protected virtual int GetPayloadLength() => 0;

    private protected virtual void WritePayload(Span<byte> destination)
    {
    }
}
