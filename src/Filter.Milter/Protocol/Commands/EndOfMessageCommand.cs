using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_BODYEOB: end of message (milter reference §5.11). Postfix and Sendmail send no payload;
/// libmilter treats a payload as a last body chunk, and so do we.
/// <code>
/// +--------------------------+
/// | [final body chunk bytes] |
/// +--------------------------+
/// </code>
/// </summary>
/// <param name="FinalChunk">A last body chunk riding on the command, usually empty.</param>
public sealed record EndOfMessageCommand(ReadOnlySequence<byte> FinalChunk) : MilterCommand
{
    /// <summary>End of message without a payload.</summary>
    public static EndOfMessageCommand Empty { get; } = new(ReadOnlySequence<byte>.Empty);

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.EndOfMessage;

    private protected override int GetPayloadLength() => checked((int)FinalChunk.Length);

    private protected override void WritePayload(Span<byte> destination) => FinalChunk.CopyTo(destination);
}
