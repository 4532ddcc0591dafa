namespace Filter.Engine.Dns;

/// <summary>Whether a name can be put in a DNS question at all (RFC 1035 §2.3.4, RFC 5890 §2.3.2.1).</summary>
internal static class DnsNameRules
{
    /// <summary>Longest name in presentation form without the trailing dot: 255 octets on the wire.</summary>
    public const int MaxNameLength = 253;

    public const int MaxLabelLength = 63;

    /// <summary>
    /// True when <paramref name="name"/> (no trailing dot) has 1..63-octet labels, at most 253
    /// octets, and only ASCII: a name with other characters must be sent as A-labels (RFC 5890),
    /// which is the caller's business, not a guess the resolver makes.
    /// </summary>
    public static bool IsQueryable(string name, out string reason)
    {
        if (name.Length == 0)
        {
            reason = "empty name";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            reason = $"name of {name.Length} octets is longer than {MaxNameLength} (RFC 1035 §2.3.4)";
            return false;
        }

        var labelLength = 0;
        foreach (var c in name)
        {
            if (c > 0x7F)
            {
                reason = "name is not ASCII; send it as A-labels (RFC 5890 §2.3.2.1)";
                return false;
            }

            if (c != '.')
            {
                labelLength++;
                continue;
            }

            if (!IsLabelLength(labelLength, out reason))
            {
                return false;
            }

            labelLength = 0;
        }

        return IsLabelLength(labelLength, out reason);
    }

    private static bool IsLabelLength(int length, out string reason)
    {
        reason = length switch
        {
            0 => "empty label (RFC 1035 §2.3.4)",
            > MaxLabelLength => $"label longer than {MaxLabelLength} octets (RFC 1035 §2.3.4)",
            _ => string.Empty,
        };
        return reason.Length == 0;
    }
}
