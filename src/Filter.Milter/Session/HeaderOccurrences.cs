namespace Filter.Milter.Session;

/// <summary>
/// Counts one message's headers per name, case-insensitively, for the CHGHEADER index (milter
/// reference §8.3). A message has a dozen or two distinct names, most of them the shared strings of
/// <c>Protocol.MilterNameTable</c>, so a short list searched by reference first and then by
/// ordinal-ignore-case beats hashing every name; past <see cref="ListLimit"/> distinct names (a
/// message built to be odd) the rest go to a dictionary, so the cost per header stays bounded.
/// Reused from message to message; not thread-safe.
/// </summary>
internal sealed class HeaderOccurrences
{
    /// <summary>Distinct names kept in the list before the dictionary takes over.</summary>
    internal const int ListLimit = 24;

    private readonly string[] _names = new string[ListLimit];
    private readonly int[] _counts = new int[ListLimit];
    private int _used;
    private Dictionary<string, int>? _overflow;

    /// <summary>Counts one more header named <paramref name="name"/> and returns its 1-based occurrence.</summary>
    public int Next(string name)
    {
        string[] names = _names;
        int used = _used;
        for (int i = 0; i < used; i++)
        {
            if (ReferenceEquals(names[i], name))
            {
                return ++_counts[i];
            }
        }

        for (int i = 0; i < used; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return ++_counts[i];
            }
        }

        if (used < ListLimit)
        {
            names[used] = name;
            _counts[used] = 1;
            _used = used + 1;
            return 1;
        }

        _overflow ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        _overflow.TryGetValue(name, out int count);
        _overflow[name] = ++count;
        return count;
    }

    /// <summary>Forgets the message's counts (the strings go too, so none is kept alive).</summary>
    public void Clear()
    {
        if (_used > 0)
        {
            Array.Clear(_names, 0, _used);
            _used = 0;
        }

        _overflow?.Clear();
    }
}
