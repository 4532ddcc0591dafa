namespace Filter.Milter.Protocol;

/// <summary>Angle-bracket handling for MAIL and RCPT addresses (milter reference §5.5, pitfall 13).</summary>
internal static class EnvelopeAddress
{
    /// <summary>
    /// The address without one pair of surrounding angle brackets: SMTP sessions send
    /// <c>&lt;a@b&gt;</c> (null sender <c>&lt;&gt;</c>), Postfix's synthetic sessions send bare addresses.
    /// </summary>
    public static string StripBrackets(string value)
    {
        ReadOnlySpan<char> span = value.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '<' && span[^1] == '>')
        {
            return span[1..^1].ToString();
        }

        return span.Length == value.Length ? value : span.ToString();
    }

    public static int GetEncodedLength(string address, IReadOnlyList<string> parameters)
    {
        int length = MilterText.GetEncodedLength(address);
        for (int i = 0; i < parameters.Count; i++)
        {
            length += MilterText.GetEncodedLength(parameters[i]);
        }

        return length;
    }

    public static void Write(Span<byte> destination, string address, IReadOnlyList<string> parameters)
    {
        int offset = MilterText.Write(destination, address);
        for (int i = 0; i < parameters.Count; i++)
        {
            offset += MilterText.Write(destination[offset..], parameters[i]);
        }
    }
}
