using System.Buffers.Binary;

namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_OPTNEG: what the MTA offers (milter reference §4.1).
/// <code>
/// +---------+---------+----------+
/// | version | actions | protocol |   3 x uint32 big-endian, exactly 12 bytes
/// +---------+---------+----------+
/// </code>
/// </summary>
/// <param name="Version">Protocol version the MTA speaks (6 for Postfix 2.6+ and Sendmail 8.14+).</param>
/// <param name="Actions">SMFIF_* bits the MTA allows.</param>
/// <param name="Protocol">SMFIP_* bits the MTA supports.</param>
public sealed record NegotiateCommand(uint Version, MilterActionFlags Actions, MilterProtocolFlags Protocol) : MilterCommand
{
    /// <summary>The payload length.</summary>
    public const int PayloadLength = 12;

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Negotiate;

    private protected override int GetPayloadLength() => PayloadLength;

    private protected override void WritePayload(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Version);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)Actions);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Protocol);
    }
}
