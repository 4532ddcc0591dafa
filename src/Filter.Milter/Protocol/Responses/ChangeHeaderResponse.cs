namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_CHGHEADER: replace or delete the n-th header of a name (milter reference §8.2, §8.3).
/// Needs SMFIF_CHGHDRS.
/// <code>
/// +-----------+---------+----------+
/// | index u32 | name \0 | value \0 |   empty value = delete
/// +-----------+---------+----------+
/// </code>
/// The index is 1-based among the headers of that name (case-insensitive) that the milter saw;
/// an index past the last one appends (or does nothing for a delete). Postfix re-counts after a
/// delete, Sendmail does not, so several edits of one name must go highest index first.
/// </summary>
/// <param name="Index">1-based occurrence of <paramref name="Name"/>.</param>
/// <param name="Name">Field name.</param>
/// <param name="Value">New value; empty deletes the header.</param>
public sealed record ChangeHeaderResponse(uint Index, string Name, string Value) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.ChangeHeader;

    /// <inheritdoc />
    public override bool IsModification => true;

    /// <summary>True when this edit deletes the header.</summary>
    public bool IsDelete => Value.Length == 0;

    private protected override int GetPayloadLength() => IndexedHeaderPayload.GetLength(Name, Value);

    private protected override void WritePayload(Span<byte> destination) => IndexedHeaderPayload.Write(destination, Index, Name, Value);
}
