using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Domain patterns for overrides: <c>example.com</c> (exactly that domain) or <c>*.example.com</c>
/// (its subdomains). Labels are LDH (RFC 1035 §2.3.1, RFC 5890 A-labels), at most 63 octets, the
/// whole name at most 253; internationalized names must be written as A-labels (xn--).
/// </summary>
internal static class DomainPatternText
{
    /// <summary>Null on success, otherwise the problem.</summary>
    public static string? TryParse(string text, out DomainPattern pattern)
    {
        pattern = new DomainPattern("", false);
        var subdomainsOnly = text.StartsWith("*.", StringComparison.Ordinal);
        var domain = subdomainsOnly ? text[2..] : text;
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1];
        }

        if (domain.Contains('*', StringComparison.Ordinal))
        {
            return $"expected a domain or '*.domain', got '{text}' ('*' is allowed only as the whole first label)";
        }

        if (domain.Length == 0)
        {
            return $"expected a domain or '*.domain', got '{text}'";
        }

        if (domain.Length > 253)
        {
            return $"'{text}' is longer than the 253 characters a domain name may have";
        }

        foreach (var label in domain.Split('.'))
        {
            var error = CheckLabel(label, text);
            if (error is not null)
            {
                return error;
            }
        }

        pattern = new DomainPattern(domain.ToLowerInvariant(), subdomainsOnly);
        return null;
    }

    private static string? CheckLabel(string label, string text)
    {
        if (label.Length == 0)
        {
            return $"'{text}' has an empty label";
        }

        if (label.Length > 63)
        {
            return $"'{text}' has a label longer than 63 characters";
        }

        foreach (var c in label)
        {
            if (c > '\u007f')
            {
                return $"'{text}' is not ASCII; write internationalized domains in A-label form (xn--...)";
            }

            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return $"'{text}' contains '{c}'; a domain has letters, digits, '-' and dots only";
            }
        }

        return label[0] == '-' || label[^1] == '-'
            ? $"'{text}' has a label that starts or ends with '-'"
            : null;
    }
}
