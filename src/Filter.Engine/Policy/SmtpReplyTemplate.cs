using System.Globalization;
using System.Text;

namespace Filter.Engine.Policy;

/// <summary>
/// One SMTP reply an admin configured, e.g. <c>550 5.7.1 DMARC policy of {domain} rejects this message: {reason}</c>.
/// The host validated it at load: a 4xx or 5xx <see cref="Code"/>, an RFC 3463 enhanced status of the
/// same class, printable ASCII text, only known placeholders, and every <c>%</c> doubled (Sendmail reads
/// the reply as a printf format; Postfix turns <c>%%</c> into <c>%</c>).
/// </summary>
/// <param name="Code">The three-digit reply code (RFC 5321 §4.2), 400-599.</param>
/// <param name="EnhancedStatus">The RFC 3463 enhanced status code, e.g. <c>5.7.1</c>; its class digit equals the first digit of <see cref="Code"/>.</param>
/// <param name="Text">The text after the enhanced status, with placeholders <c>{domain}</c> and <c>{reason}</c>.</param>
public sealed record SmtpReplyTemplate(int Code, string EnhancedStatus, string Text)
{
    /// <summary>The placeholder replaced by the domain the verdict is about (the From domain for DMARC, the SPF domain for SPF).</summary>
    public const string DomainPlaceholder = "{domain}";

    /// <summary>The placeholder replaced by the human-readable reason of the deciding result.</summary>
    public const string ReasonPlaceholder = "{reason}";

    /// <summary>RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including CRLF.</summary>
    public const int MaximumReplyLength = 510;

    /// <summary>
    /// The complete reply line for the milter's REPLYCODE (<c>550 5.7.1 text</c>), with the placeholders
    /// replaced. Substituted values are untrusted (they come from mail and DNS): any character outside
    /// printable ASCII becomes <c>?</c> and <c>%</c> is doubled, so the line stays one valid reply. A line
    /// longer than <see cref="MaximumReplyLength"/> is cut.
    /// </summary>
    public string Format(string domain, string reason)
    {
        var builder = new StringBuilder(Text.Length + 64);
        builder.Append(Code.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(EnhancedStatus).Append(' ');
        var text = Text;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && string.CompareOrdinal(text, i, DomainPlaceholder, 0, DomainPlaceholder.Length) == 0)
            {
                AppendSanitized(builder, domain);
                i += DomainPlaceholder.Length;
            }
            else if (text[i] == '{' && string.CompareOrdinal(text, i, ReasonPlaceholder, 0, ReasonPlaceholder.Length) == 0)
            {
                AppendSanitized(builder, reason);
                i += ReasonPlaceholder.Length;
            }
            else
            {
                builder.Append(text[i]);
                i++;
            }
        }

        if (builder.Length > MaximumReplyLength)
        {
            builder.Length = MaximumReplyLength;
            TrimDanglingPercent(builder);
        }

        return builder.ToString();
    }

    /// <summary>The template as written in the policy file.</summary>
    public override string ToString() =>
        Code.ToString(CultureInfo.InvariantCulture) + " " + EnhancedStatus + " " + Text;

    private static void AppendSanitized(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            if (c == '%')
            {
                builder.Append("%%");
            }
            else
            {
                builder.Append(c is >= ' ' and <= '~' ? c : '?');
            }
        }
    }

    // Cutting may leave half of a "%%" pair at the end; a lone '%' would make Sendmail discard the reply.
    private static void TrimDanglingPercent(StringBuilder builder)
    {
        var run = 0;
        for (var i = builder.Length - 1; i >= 0 && builder[i] == '%'; i--)
        {
            run++;
        }

        if (run % 2 == 1)
        {
            builder.Length--;
        }
    }
}
