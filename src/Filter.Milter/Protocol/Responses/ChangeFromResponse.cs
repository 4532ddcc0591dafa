namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_CHGFROM: change the envelope sender (milter reference §10). Needs SMFIF_CHGFROM.
/// <code>
/// +------------+----------------------+
/// | address \0 | ["P1=a P2=b" \0]     |   at most two strings
/// +------------+----------------------+
/// </code>
/// </summary>
/// <param name="Address">New sender, with or without angle brackets.</param>
/// <param name="Parameters">All ESMTP parameters in one space-separated string, or null.</param>
public sealed record ChangeFromResponse(string Address, string? Parameters) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.ChangeFrom;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => AddressWithParametersPayload.GetLength(Address, Parameters);

    private protected override void WritePayload(Span<byte> destination) => AddressWithParametersPayload.Write(destination, Address, Parameters);
}
