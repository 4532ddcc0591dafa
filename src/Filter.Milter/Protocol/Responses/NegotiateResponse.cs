using System.Buffers.Binary;

namespace Filter.Milter.Protocol;

/// <summary>
/// The milter's OPTNEG reply (milter reference §4.2, §6.4).
/// <code>
/// +---------+---------+----------+-----------------------------------------+
/// | version | actions | protocol | [stage u32 | "names" \0] ...            |
/// +---------+---------+----------+-----------------------------------------+
///   3 x uint32 big-endian; macro lists only with v6 and SMFIF_SETSYMLIST
/// </code>
/// </summary>
/// <param name="Version">The version we speak: min(MTA's, 6).</param>
/// <param name="Actions">The SMFIF_* bits we may use; a subset of the offer.</param>
/// <param name="Protocol">The SMFIP_* bits we request; a subset of the offer.</param>
/// <param name="MacroLists">Macro lists requested per stage (empty when none).</param>
public sealed record NegotiateResponse(
    uint Version,
    MilterActionFlags Actions,
    MilterProtocolFlags Protocol,
    IReadOnlyList<MacroListRequest> MacroLists) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.Negotiate;

    private protected override int GetPayloadLength()
    {
        int length = NegotiateCommand.PayloadLength;
        for (int i = 0; i < MacroLists.Count; i++)
        {
            length += 4 + MilterText.GetEncodedLength(MacroLists[i].Names);
        }

        return length;
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Version);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)Actions);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Protocol);
        int offset = NegotiateCommand.PayloadLength;
        for (int i = 0; i < MacroLists.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], (uint)MacroLists[i].Stage);
            offset += 4;
            offset += MilterText.Write(destination[offset..], MacroLists[i].Names);
        }
    }
}
