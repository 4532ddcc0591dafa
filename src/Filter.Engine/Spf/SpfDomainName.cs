namespace Filter.Engine.Spf;

/// <summary>Domain name rules SPF applies before it queries DNS (RFC 7208 §4.3, §4.8, §7.3).</summary>
internal static class SpfDomainName
{
    /// <summary>The longest name a query can carry in text form (RFC 7208 §7.3).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The check_host() &lt;domain&gt; rule of §4.3: a multi-label name, no empty label, no label
    /// over 63 octets, not a domain literal, not an IP address, printable ASCII only. A name that
    /// fails gives "none" before any query (the RFC 7208 suite's Initial processing tests).
    /// </summary>
    public static bool IsValidCheckDomain(string domain, out string problem)
    {
        var name = domain.EndsWith('.') ? domain.AsSpan(0, domain.Length - 1) : domain.AsSpan();
        if (name.IsEmpty)
        {
            problem = "the domain is empty";
            return false;
        }

        if (name[0] == '[')
        {
            problem = $"'{domain}' is an address literal, not a domain name";
            return false;
        }

        if (name.Length > MaxLength)
        {
            problem = $"the domain is {name.Length} octets long (the limit is {MaxLength})";
            return false;
        }

        foreach (var c in name)
        {
            if (c < 0x21 || c > 0x7E)
            {
                problem = $"the domain holds {SpfMacroString.Describe(c)}";
                return false;
            }
        }

        var labels = 0;
        var lastLabelAllDigits = true;
        var start = 0;
        while (start <= name.Length)
        {
            var dot = name[start..].IndexOf('.');
            var label = dot < 0 ? name[start..] : name.Slice(start, dot);
            if (label.IsEmpty)
            {
                problem = $"'{domain}' has an empty label";
                return false;
            }

            if (label.Length > MaxLabelLength)
            {
                problem = $"'{domain}' has a label of {label.Length} octets (the limit is {MaxLabelLength})";
                return false;
            }

            labels++;
            lastLabelAllDigits = !label.ContainsAnyExceptInRange('0', '9');
            if (dot < 0)
            {
                break;
            }

            start += dot + 1;
        }

        if (labels < 2)
        {
            problem = $"'{domain}' is not a fully qualified domain name";
            return false;
        }

        if (lastLabelAllDigits)
        {
            problem = $"'{domain}' looks like an IP address, not a domain name";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>
    /// Turns an expanded domain-spec into a query name: drops one trailing dot and, past 253
    /// octets, removes whole labels from the left until it fits (§7.3).
    /// </summary>
    public static string ToQueryName(string expanded)
    {
        var name = expanded.EndsWith('.') ? expanded[..^1] : expanded;
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var start = 0;
        while (name.Length - start > MaxLength)
        {
            var dot = name.IndexOf('.', start);
            if (dot < 0)
            {
                return string.Empty;
            }

            start = dot + 1;
        }

        return name[start..];
    }

    /// <summary>
    /// True when <paramref name="name"/> can be put in a query: not empty, no empty label, no label
    /// over 63 octets. Targets that fail are treated as non-existent (the mechanism does not match):
    /// RFC 7208 leaves this open and the suite accepts it (invalid-domain-* tests).
    /// </summary>
    public static bool IsQueryable(string name)
    {
        if (name.Length == 0 || name.Length > MaxLength)
        {
            return false;
        }

        var labelLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
                continue;
            }

            if (++labelLength > MaxLabelLength)
            {
                return false;
            }
        }

        return labelLength > 0;
    }

    /// <summary>
    /// The domain-end rule of a domain-spec (§7.1): it ends with a macro-expand, or with
    /// "." toplabel [ "." ] where toplabel = ( *alphanum ALPHA *alphanum ) /
    /// ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
    /// </summary>
    public static bool HasValidDomainEnd(SpfMacroString spec, out string problem)
    {
        var segments = spec.Segments;
        if (segments.Length == 0)
        {
            problem = "the domain-spec is empty";
            return false;
        }

        if (spec.EndsWithMacroExpand)
        {
            problem = string.Empty;
            return true;
        }

        var last = segments[^1];

        // "%{d}." is not domain-end by the letter of the ABNF, but the trailing dot only says
        // "absolute"; published records use it, and it is harmless (§4.8 ignores the dot).
        if (last.Literal == "." && segments.Length > 1 && segments[^2].Literal is null)
        {
            problem = string.Empty;
            return true;
        }
        var text = last.Literal.AsSpan();
        if (text.EndsWith("."))
        {
            text = text[..^1];
        }

        var dot = text.LastIndexOf('.');
        if (dot < 0)
        {
            problem = $"'{spec.Text}' does not end in '.' and a top label";
            return false;
        }

        var top = text[(dot + 1)..];
        if (!IsTopLabel(top))
        {
            problem = $"'{top}' is not a valid top label in '{spec.Text}'";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        var hasAlpha = false;
        var hasDash = false;
        foreach (var c in label)
        {
            if (c == '-')
            {
                hasDash = true;
            }
            else if (char.IsAsciiLetter(c))
            {
                hasAlpha = true;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return hasAlpha || hasDash;
    }
}
