using System.Globalization;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Validates an SMTP reply template from the policy file: <c>CODE ENHANCED TEXT</c>, e.g.
/// <c>550 5.7.1 Message rejected: DMARC policy of {domain} ({reason})</c>. The checks are those
/// the MTAs apply to a milter's REPLYCODE (recent Postfix refuses a malformed one as a configuration
/// error; Sendmail silently substitutes its own text), so a bad reply is caught at load, not when
/// the first message is rejected.
/// </summary>
internal static class SmtpReplyText
{
    /// <summary>Null on success, otherwise the problem. <paramref name="expectedClass"/> is '4' or '5'.</summary>
    public static string? TryParse(string text, char expectedClass, out SmtpReplyTemplate reply)
    {
        reply = new SmtpReplyTemplate(0, "", "");
        var example = expectedClass == '5' ? "550 5.7.1 Message rejected" : "451 4.7.1 Try again later";
        var kind = expectedClass == '5' ? "a reject" : "a tempfail";

        // RFC 5321 §4.2: three digits, the first 2-5 and the second 0-5, then a space.
        if (text.Length < 4 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) || !char.IsAsciiDigit(text[2])
            || text[3] != ' ')
        {
            return $"expected a reply such as '{example}', i.e. a three-digit code, an enhanced status code and text";
        }

        var code = int.Parse(text.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture);
        if (text[0] != expectedClass)
        {
            return $"{kind} reply needs a {expectedClass}xx code (RFC 5321 §4.2.1), got {code}";
        }

        if (text[1] > '5')
        {
            return $"reply code {code} is not valid: the second digit must be 0 to 5 (RFC 5321 §4.2.1)";
        }

        var afterCode = text[4..];
        var space = afterCode.IndexOf(' ', StringComparison.Ordinal);
        var status = space < 0 ? afterCode : afterCode[..space];
        var statusError = CheckEnhancedStatus(status, code, expectedClass);
        if (statusError is not null)
        {
            return statusError;
        }

        var body = space < 0 ? "" : afterCode[(space + 1)..];
        var bodyError = CheckText(body);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (text.Length > SmtpReplyTemplate.MaximumReplyLength)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"the reply is {text.Length} characters; an SMTP reply line holds at most {SmtpReplyTemplate.MaximumReplyLength} (RFC 5321 §4.5.3.1.5)");
        }

        reply = new SmtpReplyTemplate(code, status, body);
        return null;
    }

    // RFC 3463 §2: class "." subject "." detail; subject and detail are 1-3 digits without leading
    // zeros; the class (2, 4 or 5) must agree with the reply code's first digit (RFC 2034, and Postfix refuses a mismatch).
    private static string? CheckEnhancedStatus(string status, int code, char expectedClass)
    {
        var parts = status.Split('.');
        var wellFormed = parts.Length == 3 && parts[0].Length == 1 && IsStatusNumber(parts[1]) && IsStatusNumber(parts[2]);
        if (!wellFormed || parts[0][0] is not ('2' or '4' or '5'))
        {
            return $"expected an enhanced status code (RFC 3463) such as {expectedClass}.7.1 after {code}, got '{status}'";
        }

        return parts[0][0] != expectedClass
            ? $"enhanced status {status} does not match reply code {code}; use {expectedClass}.x.x (the class must match the reply code, RFC 2034 and RFC 3463)"
            : null;
    }

    private static bool IsStatusNumber(string part)
    {
        if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0'))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string? CheckText(string body)
    {
        if (body.Trim().Length == 0)
        {
            return "the reply has no text after the enhanced status code";
        }

        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is < ' ' or > '~')
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"the reply text must be printable ASCII on one line (RFC 5321 §4.2), but contains U+{(int)c:X4}");
            }

            if (c == '%')
            {
                // Sendmail formats the reply with printf and drops one with a lone '%'; Postfix turns "%%" into "%".
                if (i + 1 < body.Length && body[i + 1] == '%')
                {
                    i++;
                    continue;
                }

                return "a '%' in a reply must be written '%%' (Sendmail reads the reply as a printf format)";
            }

            if (c == '{')
            {
                var close = body.IndexOf('}', i);
                var name = close < 0 ? body[i..] : body[i..(close + 1)];
                if (name != SmtpReplyTemplate.DomainPlaceholder && name != SmtpReplyTemplate.ReasonPlaceholder)
                {
                    return $"unknown placeholder '{name}'; expected {SmtpReplyTemplate.DomainPlaceholder} or {SmtpReplyTemplate.ReasonPlaceholder}";
                }

                i = close;
            }
            else if (c == '}')
            {
                return "a '}' without its '{'; placeholders are {domain} and {reason}";
            }
        }

        return null;
    }
}
