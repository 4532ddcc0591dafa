namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_ADDRCPT
/// <code>
/// +------------+
/// | string \0  |
/// +------------+
/// </code>
/// </summary>
/// <param name="Address"> add a recipient (milter reference §10). Needs SMFIF_ADDRCPT.:The recipient, with or without angle brackets.</param>
public sealed record AddRecipientResponse(string Address) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.AddRecipient;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Address);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Address);
}
