using System.Collections.Concurrent;

namespace Filter.Engine.Caching;

/// <summary>
/// Results of a pure parse keyed by the exact text parsed, so a busy receiver parses each published
/// record (or each From value) once instead of once per message. Because the parse depends on the
/// text alone (plus fixed state such as a mode), a hit is exactly what a fresh parse would give, and
/// a changed text is a new key, parsed anew.
/// Bounded: at most <c>capacity</c> texts of at most <c>maxTextLength</c> characters; when full it
/// starts over (the texts change rarely and a re-parse is cheap and correct), and longer texts are
/// parsed every time rather than kept, so a huge DNS answer never pins memory. Capacity 0 caches
/// nothing. Thread-safe.
/// </summary>
internal sealed class ParsedTextCache<TValue>
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly int _maxTextLength;

    public ParsedTextCache(int capacity, int maxTextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTextLength);
        _capacity = capacity;
        _maxTextLength = maxTextLength;
    }

    /// <summary>Texts held now.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The parse of <paramref name="text"/>, from the cache when seen before. <paramref name="parse"/>
    /// should be a static lambda (no allocation per call); <paramref name="state"/> carries what it needs.
    /// </summary>
    public TValue GetOrParse<TState>(string text, TState state, Func<string, TState, TValue> parse)
    {
        if (_entries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = parse(text, state);
        if (text.Length <= _maxTextLength && _capacity > 0)
        {
            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }

            _entries.TryAdd(text, parsed);
        }

        return parsed;
    }
}
