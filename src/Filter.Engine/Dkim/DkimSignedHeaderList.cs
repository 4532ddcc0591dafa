using System.Text;

namespace Filter.Engine.Dkim;

/// <summary>
/// h= of a DKIM-Signature (RFC 6376 §3.5): field names separated by ':' with FWS allowed around them,
/// read from the field's bytes. Names are compared case-insensitively wherever they are used (§5.4.2),
/// so the names most signers list come from a table of constants instead of a new string each.
/// </summary>
internal static class DkimSignedHeaderList
{
    // Grouped by length so a name is compared with at most a few candidates.
    private static readonly string[][] CommonByLength = Group(
        "to", "cc", "date", "from", "subject", "sender", "reply-to", "message-id", "mime-version",
        "content-type", "in-reply-to", "references", "list-id", "list-unsubscribe", "list-unsubscribe-post",
        "content-transfer-encoding", "feedback-id", "resent-from", "resent-to", "resent-date", "resent-message-id",
        "content-id", "content-description", "list-help", "list-subscribe", "list-post", "list-owner", "list-archive",
        "bcc", "autocrypt", "openpgp", "x-mailer");

    /// <summary>Null and the names in order, or the error (an empty or malformed name) the verifier reports.</summary>
    public static string? TryRead(ReadOnlySpan<byte> value, out string[] names, out bool hasFrom)
    {
        names = new string[value.Count((byte)':') + 1];
        hasFrom = false;
        var rest = value;
        for (var n = 0; n < names.Length; n++)
        {
            var colon = rest.IndexOf((byte)':');
            var item = Trim(colon < 0 ? rest : rest[..colon]);
            rest = colon < 0 ? default : rest[(colon + 1)..];
            if (item.Length == 0 || !IsFieldName(item))
            {
                return $"h= has an invalid header field name '{Encoding.Latin1.GetString(item)}'";
            }

            var name = Common(item) ?? Encoding.Latin1.GetString(item);
            names[n] = name;
            hasFrom |= string.Equals(name, "from", StringComparison.OrdinalIgnoreCase);
        }

        return null;
    }

    private static string? Common(ReadOnlySpan<byte> item)
    {
        if (item.Length >= CommonByLength.Length)
        {
            return null;
        }

        foreach (var candidate in CommonByLength[item.Length])
        {
            if (Ascii.EqualsIgnoreCase(item, candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>RFC 5322 §3.6.8 ftext: printable US-ASCII except ':'.</summary>
    private static bool IsFieldName(ReadOnlySpan<byte> name) => name.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> item)
    {
        var start = 0;
        while (start < item.Length && DkimSignatureTagReader.IsWhitespace(item[start]))
        {
            start++;
        }

        var end = item.Length;
        while (end > start && DkimSignatureTagReader.IsWhitespace(item[end - 1]))
        {
            end--;
        }

        return item[start..end];
    }

    private static string[][] Group(params string[] names)
    {
        var longest = 0;
        foreach (var name in names)
        {
            longest = Math.Max(longest, name.Length);
        }

        var groups = new List<string>[longest + 1];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        foreach (var name in names)
        {
            groups[name.Length].Add(name);
        }

        var result = new string[groups.Length][];
        for (var i = 0; i < groups.Length; i++)
        {
            result[i] = [.. groups[i]];
        }

        return result;
    }
}
