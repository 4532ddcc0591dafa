using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// One packet as framed on the wire: its code byte and its payload. The payload is a slice of the
/// reader's buffer and is valid only until the reader is advanced.
/// </summary>
internal readonly struct MilterFrame(byte code, ReadOnlySequence<byte> payload)
{
    public byte Code { get; } = code;

    public ReadOnlySequence<byte> Payload { get; } = payload;
}
