using Filter.Engine.Caching;

namespace Filter.Engine.Dmarc;

/// <summary>
/// Parse results of DMARC TXT texts keyed by their exact text (<see cref="ParsedTextCache{TValue}"/>):
/// the parser is a pure function of text and <see cref="DmarcMode"/>, and the mode is fixed per cache.
/// Thread-safe; one per <see cref="DmarcEvaluator"/>, shared by every message it evaluates.
/// </summary>
internal sealed class DmarcRecordCache
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer texts are not kept (a 64 KiB TXT answer should not pin memory).</summary>
    public const int MaxCachedLength = 2048;

    private readonly ParsedTextCache<DmarcRecordParseResult> _records;

    public DmarcRecordCache(DmarcMode mode, int capacity = DefaultCapacity)
    {
        Mode = mode;
        _records = new ParsedTextCache<DmarcRecordParseResult>(capacity, MaxCachedLength);
    }

    /// <summary>The mode every text is parsed in (the key is the text alone, so the mode is fixed).</summary>
    public DmarcMode Mode { get; }

    /// <summary>Texts held now.</summary>
    public int Count => _records.Count;

    /// <summary>The parse of <paramref name="text"/> in <see cref="Mode"/>, from the cache when seen before.</summary>
    public DmarcRecordParseResult GetOrParse(string text) =>
        _records.GetOrParse(text, Mode, static (record, mode) => DmarcRecordParser.Parse(record, mode));
}
