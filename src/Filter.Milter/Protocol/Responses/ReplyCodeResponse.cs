namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIR_REPLYCODE: a reject or tempfail with the full SMTP reply (milter reference §11.1).
/// <code>
/// +----------------------------------------+
/// | "550 5.7.1 text" \0                    |   multi-line: "451-..\r\n451 .." ; '%' written as "%%"
/// +----------------------------------------+
/// </code>
/// Build the text with <see cref="Session.SmtpReply"/>, which validates and escapes it.
/// </summary>
/// <param name="Text">The complete reply text as it goes on the wire.</param>
public sealed record ReplyCodeResponse(string Text) : MilterResponse
{
    /// <inheritdoc />
    public override MilterResponseCode Code => MilterResponseCode.ReplyCode;

    private protected override int GetPayloadLength() => MilterText.GetEncodedLength(Text);

    private protected override void WritePayload(Span<byte> destination) => MilterText.Write(destination, Text);
}
