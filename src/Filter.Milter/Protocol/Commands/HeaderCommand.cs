using System.Text;

namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_HEADER: one header field (milter reference §5.8, §8.1).
/// <code>
/// +---------+----------+
/// | name \0 | value \0 |   value: one leading SP removed unless SMFIP_HDR_LEADSPC;
/// +---------+----------+   folded lines joined with a bare LF
/// </code>
/// </summary>
/// <param name="Name">The field name as in the message, without the colon.</param>
/// <param name="RawValue">The value bytes exactly as received (8-bit data kept).</param>
public sealed record HeaderCommand(string Name, ReadOnlyMemory<byte> RawValue) : MilterCommand
{
    /// <summary>Creates a header whose value is UTF-8 encoded.</summary>
    public HeaderCommand(string name, string value)
        : this(name, Encoding.UTF8.GetBytes(value))
    {
    }

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Header;

    /// <summary>The value decoded for display (UTF-8, or Latin-1 when not valid UTF-8); decoded on each call.</summary>
    public string Value => MilterText.Decode(RawValue.Span);

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Name) + RawValue.Length + 1;

    private protected override void WritePayload(Span<byte> destination)
    {
        int offset = MilterText.Write(destination, Name);
        RawValue.Span.CopyTo(destination[offset..]);
        destination[offset + RawValue.Length] = 0;
    }

    /// <summary>Writes a HEADER frame straight from a name and value bytes, with no command object.</summary>
    internal static void WriteFrame(System.Buffers.IBufferWriter<byte> writer, string name, ReadOnlySpan<byte> value)
    {
        int payloadLength = MilterText.GetEncodedLength(name) + value.Length + 1;
        int total = MilterLimits.FrameHeaderLength + payloadLength;
        Span<byte> span = writer.GetSpan(total);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(span, (uint)payloadLength + 1);
        span[4] = (byte)MilterCommandCode.Header;
        int offset = MilterLimits.FrameHeaderLength + MilterText.Write(span[MilterLimits.FrameHeaderLength..], name);
        value.CopyTo(span[offset..]);
        span[offset + value.Length] = 0;
        writer.Advance(total);
    }
}
