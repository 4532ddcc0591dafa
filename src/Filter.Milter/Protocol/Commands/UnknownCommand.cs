namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_UNKNOWN: an SMTP command line the MTA did not recognise (milter reference §5.12).
/// <code>
/// +--------------------+
/// | command line \0    |
/// +--------------------+
/// </code>
/// </summary>
/// <param name="Line">The complete command line as received.</param>
public sealed record UnknownCommand(string Line) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Unknown;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Line);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Line);
}
