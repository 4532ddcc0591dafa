namespace Filter.Engine.Dkim;

/// <summary>
/// header.b values (RFC 6008 §4): for each b=, the shortest prefix that tells it apart from every other
/// signature's b= on the message, and never shorter than 8 characters.
/// </summary>
internal static class DkimSignaturePrefix
{
    public const int MinimumLength = 8;

    /// <summary>Prefixes for <paramref name="values"/>, index for index; null stays null.</summary>
    public static string?[] Compute(IReadOnlyList<string?> values)
    {
        var result = new string?[values.Count];
        if (values.Count == 1)
        {
            // One signature (most mail): nothing to tell apart, the minimum length will do.
            result[0] = values[0] is { } only ? only[..Math.Min(only.Length, MinimumLength)] : null;
            return result;
        }

        var order = new List<int>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not null)
            {
                order.Add(i);
            }
        }

        // After an ordinal sort, the longest common prefix with any other value is the longest with a neighbour.
        order.Sort((x, y) => string.CompareOrdinal(values[x], values[y]));
        for (var k = 0; k < order.Count; k++)
        {
            var value = values[order[k]]!;
            var shared = 0;
            if (k > 0)
            {
                shared = Math.Max(shared, CommonPrefix(value, values[order[k - 1]]!));
            }

            if (k + 1 < order.Count)
            {
                shared = Math.Max(shared, CommonPrefix(value, values[order[k + 1]]!));
            }

            var length = Math.Min(value.Length, Math.Max(MinimumLength, shared + 1));
            result[order[k]] = value[..length];
        }

        return result;
    }

    private static int CommonPrefix(string a, string b) => a.AsSpan().CommonPrefixLength(b);
}
