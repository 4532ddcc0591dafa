namespace Filter.Host.Configuration;

/// <summary>
/// Finds the known word an admin probably meant ("timout" → "timeout", "rfc7849" → "rfc7489"), by
/// optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
/// </summary>
internal static class KeySuggester
{
    /// <summary>The closest candidate within a small distance, or null when none is close enough to be a typo.</summary>
    public static string? Suggest(string written, IReadOnlyList<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());

            // A typo is one edit in a short word and at most two in a longer one, so unrelated words are not suggested.
            var allowed = Math.Max(1, Math.Min(2, candidate.Length / 3));
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
