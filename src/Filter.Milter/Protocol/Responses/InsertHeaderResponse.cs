namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_INSHEADER: insert a header at a global position (milter reference §8.2, §8.3).
/// Needs SMFIF_ADDHDRS.
/// <code>
/// +-----------+---------+----------+
/// | index u32 | name \0 | value \0 |
/// +-----------+---------+----------+
/// </code>
/// The index counts every header of the delivered message, including the MTA's own new
/// Received header that the milter never saw: 0 inserts above it, 1 just below it (before the
/// first header the milter saw), an index past the end appends.
/// </summary>
/// <param name="Index">Global position, 0 = very top.</param>
/// <param name="Name">Field name.</param>
/// <param name="Value">Field value.</param>
public sealed record InsertHeaderResponse(uint Index, string Name, string Value) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.InsertHeader;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => IndexedHeaderPayload.GetLength(Name, Value);

    private protected override void WritePayload(Span<byte> destination) => IndexedHeaderPayload.Write(destination, Index, Name, Value);
}
