using System.Collections.Concurrent;

namespace Filter.Engine.Dmarc;

/// <summary>
/// Parse results of DMARC TXT texts keyed by their exact text, so a busy receiver parses each
/// published record once instead of once per message. The same text always parses to the same
/// result in one <see cref="DmarcMode"/> (the parser is a pure function of text and mode), so a hit
/// is exactly what a fresh parse would give; a changed record is a different key and is parsed anew.
/// Bounded: when full it starts over (records change rarely; a re-parse is cheap and correct), and
/// texts longer than <see cref="MaxCachedLength"/> are parsed every time rather than kept.
/// Thread-safe; one per <see cref="DmarcEvaluator"/>, shared by every message it evaluates.
/// </summary>
internal sealed class DmarcRecordCache
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer texts are not kept (a 64 KiB TXT answer should not pin memory).</summary>
    public const int MaxCachedLength = 2048;

    private readonly ConcurrentDictionary<string, DmarcRecordParseResult> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public DmarcRecordCache(DmarcMode mode, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Mode = mode;
        _capacity = capacity;
    }

    /// <summary>The mode every text is parsed in (the key is the text alone, so the mode is fixed).</summary>
    public DmarcMode Mode { get; }

    /// <summary>Texts held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The parse of <paramref name="text"/> in <see cref="Mode"/>, from the cache when seen before.</summary>
    public DmarcRecordParseResult GetOrParse(string text)
    {
        if (_entries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = DmarcRecordParser.Parse(text, Mode);
        if (text.Length <= MaxCachedLength && _capacity > 0)
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
