namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_REPLBODY: one chunk (at most 65535 bytes) of the new body (milter reference §9.1).
/// Needs SMFIF_CHGBODY. All chunks of one replacement must be sent consecutively.
/// <code>
/// +-----------------------+
/// | raw bytes, CRLF lines |
/// +-----------------------+
/// </code>
/// </summary>
/// <param name="Chunk">The bytes.</param>
public sealed record ReplaceBodyResponse(ReadOnlyMemory<byte> Chunk) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.ReplaceBody;

    /// <inheritdoc />
    public override bool IsModification => true;

    private protected override int GetPayloadLength() => Chunk.Length;

    private protected override void WritePayload(Span<byte> destination) => Chunk.Span.CopyTo(destination);
}
