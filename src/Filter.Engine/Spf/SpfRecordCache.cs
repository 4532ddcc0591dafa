using Filter.Engine.Caching;

namespace Filter.Engine.Spf;

/// <summary>
/// Parsed records (and parsed exp= explanation texts) keyed by their exact text, so a busy receiver
/// parses each published text once (<see cref="ParsedTextCache{TValue}"/>: bounded, starts over when full).
/// Thread-safe; shared by every evaluation of one <see cref="SpfEvaluator"/>.
/// </summary>
internal sealed class SpfRecordCache(int capacity = SpfRecordCache.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer texts are parsed every time rather than kept (a 64 KiB record should not pin memory).</summary>
    public const int MaxCachedLength = 2048;

    private readonly ParsedTextCache<SpfRecordParseResult> _records = new(capacity, MaxCachedLength);
    private readonly ParsedTextCache<SpfMacroString?> _explanations = new(capacity, MaxCachedLength);

    public SpfRecordParseResult GetOrParse(string text) =>
        _records.GetOrParse(text, 0, static (record, _) => SpfRecordParser.Parse(record));

    /// <summary>An explanation text parsed as a macro-string (§6.2), or null when it has a syntax error.</summary>
    public SpfMacroString? GetOrParseExplanation(string text) =>
        _explanations.GetOrParse(text, 0, static (explanation, unused) =>
            SpfMacroString.TryParse(explanation, 0, explanation.Length, SpfMacroSyntax.Explanation, out var result, out _) ? result : null);
}
