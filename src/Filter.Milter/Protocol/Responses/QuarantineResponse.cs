namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_QUARANTINE
/// <code>
/// +------------+
/// | string \0  |
/// +------------+
/// </code>
/// </summary>
/// <param name="Reason"> hold the message with a reason (milter reference §11.2). Needs SMFIF_QUARANTINE; not a decision, a final decision follows.:A non-empty reason without CR or LF.</param>
public sealed record QuarantineResponse(string Reason) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.Quarantine;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Reason);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Reason);
}
