namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_ADDRCPT_PAR: add a recipient with ESMTP parameters (milter reference §10).
/// Needs SMFIF_ADDRCPT_PAR.
/// <code>
/// +------------+----------------------+
/// | address \0 | ["P1=a P2=b" \0]     |   at most two strings
/// +------------+----------------------+
/// </code>
/// </summary>
/// <param name="Address">The recipient.</param>
/// <param name="Parameters">All ESMTP parameters in one space-separated string, or null.</param>
public sealed record AddRecipientWithParametersResponse(string Address, string? Parameters) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.AddRecipientWithParameters;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => AddressWithParametersPayload.GetLength(Address, Parameters);

    private protected override void WritePayload(Span<byte> destination) => AddressWithParametersPayload.Write(destination, Address, Parameters);
}
