namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_RCPT: one envelope recipient (milter reference §5.6); same layout as MAIL.
/// <code>
/// +--------------+------------+-----
/// | recipient \0 | param1 \0  | ...
/// +--------------+------------+-----
/// </code>
/// </summary>
/// <param name="Recipient">The recipient as sent, usually with angle brackets.</param>
/// <param name="Parameters">ESMTP parameters, one per string (NOTIFY=..., ORCPT=...).</param>
public sealed record RecipientCommand(string Recipient, IReadOnlyList<string> Parameters) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Recipient;

    /// <summary>The recipient without angle brackets.</summary>
    public string Address => EnvelopeAddress.StripBrackets(Recipient);

    private protected override int GetPayloadLength() => EnvelopeAddress.GetEncodedLength(Recipient, Parameters);

    private protected override void WritePayload(Span<byte> destination) => EnvelopeAddress.Write(destination, Recipient, Parameters);
}
