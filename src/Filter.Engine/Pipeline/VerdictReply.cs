namespace Filter.Engine.Pipeline;

/// <summary>
/// The SMTP reply of a reject or tempfail verdict, placeholders already substituted and made safe
/// by <see cref="Policy.SmtpReplyTemplate.Format"/>.
/// </summary>
/// <param name="Code">The reply code (RFC 5321 §4.2), e.g. 550 or 451.</param>
/// <param name="EnhancedStatus">The RFC 3463 enhanced status, e.g. 5.7.1.</param>
/// <param name="Line">The whole reply line as sent: <c>550 5.7.1 text</c>.</param>
public sealed record VerdictReply(int Code, string EnhancedStatus, string Line)
{
    /// <summary>The text after the code and the enhanced status.</summary>
    public string Text => Line.Length > Code.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + EnhancedStatus.Length + 2
        ? Line[(Code.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + EnhancedStatus.Length + 2)..]
        : string.Empty;
}
