namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_ADDHEADER: append a header at the end of the header block (milter reference §8.2).
/// Needs SMFIF_ADDHDRS.
/// <code>
/// +---------+----------+
/// | name \0 | value \0 |   folded values use bare LF + SP/TAB; the MTA adds the SP after ':'
/// +---------+----------+   unless SMFIP_HDR_LEADSPC was negotiated
/// </code>
/// </summary>
/// <param name="Name">Field name.</param>
/// <param name="Value">Field value.</param>
public sealed record AddHeaderResponse(string Name, string Value) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.AddHeader;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Name) + MilterText.GetEncodedLength(Value);

    private protected override void WritePayload(Span<byte> destination)
    {
        int offset = MilterText.Write(destination, Name);
        MilterText.Write(destination[offset..], Value);
    }
}
