namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_MAIL: the envelope sender (milter reference §5.5). Starts a new transaction.
/// <code>
/// +-----------+------------+------------+-----
/// | sender \0 | param1 \0  | param2 \0  | ...     sender as written by the client, e.g. "&lt;a@b&gt;"
/// +-----------+------------+------------+-----
/// </code>
/// </summary>
/// <param name="Sender">The sender as sent, usually with angle brackets; the null sender is "&lt;&gt;" or "".</param>
/// <param name="Parameters">ESMTP parameters, one per string (SIZE=..., BODY=8BITMIME).</param>
public sealed record MailCommand(string Sender, IReadOnlyList<string> Parameters) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Mail;

    /// <summary>The sender without angle brackets; empty for the null sender.</summary>
    public string Address => EnvelopeAddress.StripBrackets(Sender);

    private protected override int GetPayloadLength() => EnvelopeAddress.GetEncodedLength(Sender, Parameters);

    private protected override void WritePayload(Span<byte> destination) => EnvelopeAddress.Write(destination, Sender, Parameters);
}
