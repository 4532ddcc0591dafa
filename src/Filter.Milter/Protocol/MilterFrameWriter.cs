using System.Buffers;
using System.Buffers.Binary;

namespace Filter.Milter.Protocol;

/// <summary>
/// Encodes frames into an <see cref="IBufferWriter{T}"/> (a <c>PipeWriter</c> or a
/// <see cref="PooledBufferWriter"/>), each frame as one contiguous run of bytes (§2).
/// </summary>
internal static class MilterFrameWriter
{
    /// <summary>Total bytes the packet takes on the wire.</summary>
    public static int GetFrameLength(IMilterPacket packet) => MilterLimits.FrameHeaderLength + packet.GetPayloadLength();

    /// <summary>Writes one frame and returns its length.</summary>
    public static int Write(IBufferWriter<byte> writer, IMilterPacket packet)
    {
        int payloadLength = packet.GetPayloadLength();
        int total = MilterLimits.FrameHeaderLength + payloadLength;
        Span<byte> span = writer.GetSpan(total);
        WriteFrame(span, packet, payloadLength);
        writer.Advance(total);
        return total;
    }

    /// <summary>
    /// Writes several frames as one contiguous block (one <c>GetSpan</c>), so that a pipe over a
    /// socket hands them to the kernel in one write. Used for the end-of-message batch.
    /// </summary>
    public static int WriteBatch(IBufferWriter<byte> writer, IReadOnlyList<IMilterPacket> packets)
    {
        int count = packets.Count;
        Span<int> lengths = count <= 64 ? stackalloc int[count] : new int[count];
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            lengths[i] = packets[i].GetPayloadLength();
            total += MilterLimits.FrameHeaderLength + lengths[i];
        }

        Span<byte> span = writer.GetSpan(total);
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            WriteFrame(span[offset..], packets[i], lengths[i]);
            offset += MilterLimits.FrameHeaderLength + lengths[i];
        }

        writer.Advance(total);
        return total;
    }

    private static void WriteFrame(Span<byte> span, IMilterPacket packet, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)payloadLength + 1);
        span[4] = packet.PacketCode;
        packet.WritePayload(span.Slice(MilterLimits.FrameHeaderLength, payloadLength));
    }
}
