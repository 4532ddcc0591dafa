namespace Filter.Host.Configuration;

/// <summary>Checks for the few free-form words the policy writes into mail headers.</summary>
internal static class TokenText
{
    // RFC 2045 §5.1 tspecials; an authserv-id is a "value" (RFC 8601 §2.2), written by us as a token.
    private const string TokenSpecials = "()<>@,;:\\\"/[]?=";

    /// <summary>Null when <paramref name="text"/> can be written as an authserv-id, otherwise the problem.</summary>
    public static string? CheckAuthservId(string text)
    {
        if (text.Length is 0 or > 255)
        {
            return "expected a host name such as mx.example.com (1 to 255 characters)";
        }

        foreach (var c in text)
        {
            if (c is <= ' ' or > '~' || TokenSpecials.Contains(c, StringComparison.Ordinal))
            {
                return $"'{text}' contains '{(c is <= ' ' or > '~' ? "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString())}'; expected a host name such as mx.example.com (an RFC 2045 token, RFC 8601 §2.2)";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="text"/> is a header field name we may add, otherwise the problem.</summary>
    public static string? CheckHeaderName(string text)
    {
        if (text.Length is 0 or > 76)
        {
            return "expected a header field name such as X-AuthFilter-Disposition (1 to 76 characters)";
        }

        foreach (var c in text)
        {
            // RFC 5322 §3.6.8: ftext is printable US-ASCII except ':'.
            if (c is <= ' ' or > '~' or ':')
            {
                return $"'{text}' is not a header field name; expected printable ASCII without spaces or ':' (RFC 5322 §3.6.8)";
            }
        }

        return text.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase)
            || text.Equals("Received-SPF", StringComparison.OrdinalIgnoreCase)
            || text.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase)
            ? $"'{text}' is an authentication header with its own meaning; choose a name of your own such as X-AuthFilter-Disposition"
            : null;
    }
}
