namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_MACRO: macro values for the command that follows (milter reference §6.1). Never answered.
/// <code>
/// +-------+---------------------------------------+
/// | stage | name \0 value \0 name \0 value \0 ... |   stage = the command code the macros belong to
/// +-------+---------------------------------------+   ('C','H','M','R','T','N','E', Postfix also 'L','B','U')
/// </code>
/// </summary>
/// <param name="Stage">The command code the macros belong to; may be a code we do not know.</param>
/// <param name="Macros">Name/value pairs in wire order; names as sent (<c>i</c> or <c>{i}</c>).</param>
public sealed record MacroCommand(MilterCommandCode Stage, IReadOnlyList<KeyValuePair<string, string>> Macros) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Macro;

    private protected override int GetPayloadLength() => GetPayloadLength(Macros);

    private protected override void WritePayload(Span<byte> destination) => WritePayload(destination, Stage, Macros);

    /// <summary>Writes a MACRO frame straight from a list, with no command object (the client does this before every step).</summary>
    internal static void WriteFrame(System.Buffers.IBufferWriter<byte> writer, MilterCommandCode stage, IReadOnlyList<KeyValuePair<string, string>> macros)
    {
        int payloadLength = GetPayloadLength(macros);
        int total = MilterLimits.FrameHeaderLength + payloadLength;
        Span<byte> span = writer.GetSpan(total);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(span, (uint)payloadLength + 1);
        span[4] = (byte)MilterCommandCode.Macro;
        WritePayload(span.Slice(MilterLimits.FrameHeaderLength, payloadLength), stage, macros);
        writer.Advance(total);
    }

    private static int GetPayloadLength(IReadOnlyList<KeyValuePair<string, string>> macros)
    {
        int length = 1;
        for (int i = 0; i < macros.Count; i++)
        {
            length += MilterText.GetEncodedLength(macros[i].Key) + MilterText.GetEncodedLength(macros[i].Value);
        }

        return length;
    }

    private static void WritePayload(Span<byte> destination, MilterCommandCode stage, IReadOnlyList<KeyValuePair<string, string>> macros)
    {
        destination[0] = (byte)stage;
        int offset = 1;
        for (int i = 0; i < macros.Count; i++)
        {
            offset += MilterText.Write(destination[offset..], macros[i].Key);
            offset += MilterText.Write(destination[offset..], macros[i].Value);
        }
    }
}
