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
    public string Text
    {
        get
        {
            // The line is "CODE SP STATUS SP text" (SmtpReplyTemplate.Format); skip the first two words.
            var first = Line.IndexOf(' ', StringComparison.Ordinal);
            var second = first < 0 ? -1 : Line.IndexOf(' ', first + 1);
            return second < 0 ? string.Empty : Line[(second + 1)..];
        }
    }
}
