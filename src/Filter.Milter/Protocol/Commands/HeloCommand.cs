namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_HELO: the HELO or EHLO argument (milter reference §5.4). May repeat in one session
/// (EHLO after STARTTLS), which ends any open transaction.
/// <code>
/// +---------+
/// | name \0 |
/// +---------+
/// </code>
/// </summary>
/// <param name="Name">The argument as the client sent it.</param>
public sealed record HeloCommand(string Name) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Helo;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Name);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Name);
}
