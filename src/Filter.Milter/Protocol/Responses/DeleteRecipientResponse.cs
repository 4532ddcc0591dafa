namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_DELRCPT
/// <code>
/// +------------+
/// | string \0  |
/// +------------+
/// </code>
/// </summary>
/// <param name="Address"> remove a recipient, named as it was given in RCPT TO (milter reference §10). Needs SMFIF_DELRCPT.:The recipient as given in RCPT TO.</param>
public sealed record DeleteRecipientResponse(string Address) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.DeleteRecipient;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Address);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Address);
}
