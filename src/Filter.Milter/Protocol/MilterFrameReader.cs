using System.Buffers;
using System.Buffers.Binary;

namespace Filter.Milter.Protocol;

/// <summary>
/// Cuts frames out of a byte sequence without copying (milter reference §2). Used in both
/// directions: by the session for commands, by the client for responses.
/// </summary>
/// <remarks>
/// <code>
///  0        4      5                 4 + len
///  +--------+------+-----------------+
///  | len    | code | payload         |   len: uint32 big-endian, counts code + payload
///  +--------+------+-----------------+   len = 0 is invalid; payload may be empty
/// </code>
/// </remarks>
internal static class MilterFrameReader
{
    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. On <see cref="MilterFrameStatus.Complete"/>
    /// the buffer is advanced past the frame and the frame's payload is a slice of the original buffer.
    /// The length is checked against <paramref name="maxPayloadLength"/> before any payload
    /// byte arrives, so an oversized or garbage length is refused at once instead of being buffered.
    /// </summary>
    public static MilterFrameStatus TryRead(
        ref ReadOnlySequence<byte> buffer,
        int maxPayloadLength,
        out MilterFrame frame,
        out MilterProtocolViolation? violation)
    {
        frame = default;
        violation = null;
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= MilterLimits.FrameHeaderLength)
        {
            // The common case: the whole frame lies in the first segment; two slices, no copies.
            uint declared = BinaryPrimitives.ReadUInt32BigEndian(first);
            if (declared != 0 && declared - 1 <= (uint)maxPayloadLength && (ulong)first.Length - 4 >= declared)
            {
                frame = new MilterFrame(first[4], buffer.Slice(MilterLimits.FrameHeaderLength, declared - 1));
                buffer = buffer.Slice(4 + declared);
                return MilterFrameStatus.Complete;
            }
        }

        if (buffer.Length < 4)
        {
            return MilterFrameStatus.Incomplete;
        }

        uint length = ReadLength(buffer);
        if (length == 0)
        {
            violation = new MilterProtocolViolation(MilterViolationKind.ZeroLength, 0, "packet length 0 (there must be at least a code byte)");
            return MilterFrameStatus.Invalid;
        }

        if (length - 1 > (uint)maxPayloadLength)
        {
            violation = new MilterProtocolViolation(
                MilterViolationKind.Oversized, 0, $"packet payload of {length - 1} bytes exceeds the limit of {maxPayloadLength}");
            return MilterFrameStatus.Invalid;
        }

        if (buffer.Length - 4 < length)
        {
            return MilterFrameStatus.Incomplete;
        }

        ReadOnlySequence<byte> body = buffer.Slice(4, length);
        byte code = body.FirstSpan.Length > 0 ? body.FirstSpan[0] : FirstByte(body);
        frame = new MilterFrame(code, body.Slice(1));
        buffer = buffer.Slice(body.End);
        return MilterFrameStatus.Complete;
    }

    private static uint ReadLength(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= 4)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(first);
        }

        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static byte FirstByte(in ReadOnlySequence<byte> body)
    {
        foreach (ReadOnlyMemory<byte> segment in body)
        {
            if (!segment.IsEmpty)
            {
                return segment.Span[0];
            }
        }

        return 0;
    }
}
