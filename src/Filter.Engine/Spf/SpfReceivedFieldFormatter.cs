using System.Text;

namespace Filter.Engine.Spf;

/// <summary>
/// Writes the value of a <c>Received-SPF</c> header field (RFC 7208 §9.1) for a result:
/// <code>
/// result SP "(" comment ")" SP client-ip=..; envelope-from=..; helo=..; receiver=..; identity=..; mechanism=.. / problem=..
/// </code>
/// Values are dot-atoms where they can be, quoted strings otherwise; untrusted text (reasons,
/// HELO names) is escaped so it can never end the comment, the string or the header.
/// </summary>
public static class SpfReceivedFieldFormatter
{
    /// <summary>The field value (without "Received-SPF:"); <paramref name="receiver"/> is this host's name.</summary>
    public static string Format(SpfResult result, string receiver)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(receiver);
        var builder = new StringBuilder(256);
        builder.Append(result.ResultWord).Append(" (");
        AppendCommentText(builder, receiver);
        builder.Append(": ");
        AppendCommentText(builder, Comment(result));
        builder.Append(')');
        if (result.ClientAddress is { } ip)
        {
            AppendPair(builder, "client-ip", ip.ToString());
        }

        if (result.EnvelopeFrom is { } envelopeFrom)
        {
            AppendPair(builder, "envelope-from", envelopeFrom);
        }

        if (result.HeloName is { } helo)
        {
            AppendPair(builder, "helo", helo);
        }

        AppendPair(builder, "receiver", receiver);
        AppendPair(builder, "identity", result.Identity == SpfIdentity.Helo ? "helo" : "mailfrom");
        if (result.Code is SpfResultCode.TempError or SpfResultCode.PermError)
        {
            AppendPair(builder, "problem", result.Reason);
        }
        else if (result.MatchedMechanism is { } mechanism)
        {
            AppendPair(builder, "mechanism", mechanism);
        }

        return builder.Append(';').ToString();
    }

    private static string Comment(SpfResult result)
    {
        var ip = result.ClientAddress?.ToString() ?? "the client";
        return result.Code switch
        {
            SpfResultCode.Pass => $"domain of {result.Sender} designates {ip} as permitted sender",
            SpfResultCode.Fail => $"domain of {result.Sender} does not designate {ip} as permitted sender",
            SpfResultCode.SoftFail => $"domain of transitioning {result.Sender} does not designate {ip} as permitted sender",
            SpfResultCode.Neutral => $"{ip} is neither permitted nor denied by domain of {result.Sender}",
            SpfResultCode.None => $"domain of {result.Sender} does not designate permitted sender hosts",
            _ => $"error in processing during lookup of {result.Sender}",
        };
    }

    private static void AppendPair(StringBuilder builder, string key, string value)
    {
        builder.Append(builder[^1] == ')' ? " " : "; ").Append(key).Append('=');
        if (IsDotAtom(value))
        {
            builder.Append(value);
            return;
        }

        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c >= 0x20 && c <= 0x7E ? c : '?');
            }
        }

        builder.Append('"');
    }

    // ctext excludes "(", ")" and "\" (RFC 5322 §3.2.2); they are written as quoted-pairs.
    private static void AppendCommentText(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            if (c is '(' or ')' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c >= 0x20 && c <= 0x7E ? c : '?');
            }
        }
    }

    // dot-atom-text = 1*atext *("." 1*atext) (RFC 5322 §3.2.3).
    private static bool IsDotAtom(string value)
    {
        if (value.Length == 0 || value[0] == '.' || value[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '.')
            {
                if (value[i - 1] == '.')
                {
                    return false;
                }

                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-/=?^_`{|}~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
