using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_BODY: one body chunk of at most 65535 raw bytes, not aligned to lines, may contain NUL
/// (milter reference §5.10, §9).
/// <code>
/// +----------------------+
/// | raw bytes (no NUL)   |
/// +----------------------+
/// </code>
/// </summary>
/// <param name="Chunk">
/// The bytes. When the command came from the session's reader this is a slice of the receive
/// buffer, valid only until the handler's call returns; copy what must outlive it.
/// </param>
public sealed record BodyCommand(ReadOnlySequence<byte> Chunk) : MilterCommand
{
    /// <summary>Creates a chunk over memory the caller owns.</summary>
    public BodyCommand(ReadOnlyMemory<byte> chunk)
        : this(new ReadOnlySequence<byte>(chunk))
    {
    }

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Body;

    private protected override int GetPayloadLength() => checked((int)Chunk.Length);

    private protected override void WritePayload(Span<byte> destination) => Chunk.CopyTo(destination);

    /// <summary>Writes a BODY frame straight from the bytes, with no command object.</summary>
    internal static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> chunk)
    {
        int total = MilterLimits.FrameHeaderLength + chunk.Length;
        Span<byte> span = writer.GetSpan(total);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(span, (uint)chunk.Length + 1);
        span[4] = (byte)MilterCommandCode.Body;
        chunk.CopyTo(span[MilterLimits.FrameHeaderLength..]);
        writer.Advance(total);
    }
}
