namespace Filter.Milter.Session;

/// <summary>
/// One header as the session hands it to the handler, with the counts the MTA uses for edits
/// (milter reference §8.3). A value type: the session builds one per HEADER packet without
/// allocating, and the common names are shared strings (<c>Protocol.MilterNameTable</c>).
/// </summary>
/// <param name="Name">Field name without the colon, exactly as the MTA sent it.</param>
/// <param name="RawValue">
/// Value bytes as received (one leading SP removed by the MTA unless SMFIP_HDR_LEADSPC; folds joined
/// with LF). As with body chunks, this is a view of the receive buffer, valid only until the
/// handler's call completes: copy (<c>RawValue.ToArray()</c>) what must outlive it.
/// </param>
/// <param name="Occurrence">1-based count among the headers of this name seen so far (case-insensitive): the index CHGHEADER uses.</param>
/// <param name="Position">0-based position among all headers seen. INSHEADER index <c>Position + 1</c> lands just before this header (the MTA's hidden Received header is index 0).</param>
public readonly record struct MilterHeader(string Name, ReadOnlyMemory<byte> RawValue, int Occurrence, int Position)
{
    /// <summary>The value decoded for display (UTF-8, else Latin-1); decoded on each call.</summary>
    public string Value => Protocol.MilterText.Decode(RawValue.Span);
}
