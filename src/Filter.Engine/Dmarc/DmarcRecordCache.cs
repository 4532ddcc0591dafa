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

    /// <summary>Domain names are at most 253 characters (RFC 1035 §2.3.4); longer ones are not kept.</summary>
    private const int MaxDomainLength = 253;

    private readonly ParsedTextCache<DmarcRecordParseResult> _records;
    private readonly ParsedTextCache<string> _queryNames;

    public DmarcRecordCache(DmarcMode mode, int capacity = DefaultCapacity)
    {
        Mode = mode;
        _records = new ParsedTextCache<DmarcRecordParseResult>(capacity, MaxCachedLength);
        _queryNames = new ParsedTextCache<string>(capacity, MaxDomainLength);
    }

    /// <summary>The mode every text is parsed in (the key is the text alone, so the mode is fixed).</summary>
    public DmarcMode Mode { get; }

    /// <summary>Texts held now.</summary>
    public int Count => _records.Count;

    /// <summary>The parse of <paramref name="text"/> in <see cref="Mode"/>, from the cache when seen before.</summary>
    public DmarcRecordParseResult GetOrParse(string text) =>
        _records.GetOrParse(text, Mode, static (record, mode) => DmarcRecordParser.Parse(record, mode));

    /// <summary>
    /// <c>_dmarc.</c><paramref name="domain"/> (RFC 9989 §4.10), built once per domain rather than once
    /// per query: the same few Author Domains and their parents are asked for message after message.
    /// </summary>
    public string QueryName(string domain) =>
        _queryNames.GetOrParse(domain, 0, static (name, _) => "_dmarc." + name);
}
