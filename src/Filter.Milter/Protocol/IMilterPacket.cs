namespace Filter.Milter.Protocol;

/// <summary>
/// Something that encodes itself as one frame: commands and responses alike. The writer asks for
/// the payload length first so that a whole batch of frames can be laid out in one buffer.
/// </summary>
internal interface IMilterPacket
{
    /// <summary>The code byte.</summary>
    byte PacketCode { get; }

    /// <summary>Exact payload length in bytes (without the 5-byte frame header).</summary>
    int GetPayloadLength();

    /// <summary>Writes exactly <see cref="GetPayloadLength"/> bytes.</summary>
    void WritePayload(Span<byte> destination);
}
