using System.Collections.Concurrent;

namespace Filter.Engine.Spf;

/// <summary>
/// Parsed records (and parsed exp= explanation texts) keyed by their exact text, so a busy receiver
/// parses each published text once.
/// Bounded: when full it starts over (records change rarely; a re-parse is cheap and correct).
/// Thread-safe; shared by every evaluation of one <see cref="SpfEvaluator"/>.
/// </summary>
internal sealed class SpfRecordCache(int capacity = SpfRecordCache.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer texts are parsed every time rather than kept (a 64 KiB record should not pin memory).</summary>
    public const int MaxCachedLength = 2048;

    private readonly ConcurrentDictionary<string, SpfRecordParseResult> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SpfMacroString?> _explanations = new(StringComparer.Ordinal);
    private readonly int _capacity = capacity;

    public SpfRecordParseResult GetOrParse(string text)
    {
        if (_entries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = SpfRecordParser.Parse(text);
        if (text.Length <= MaxCachedLength)
        {
            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }

            _entries.TryAdd(text, parsed);
        }

        return parsed;
    }

    /// <summary>An explanation text parsed as a macro-string (§6.2), or null when it has a syntax error.</summary>
    public SpfMacroString? GetOrParseExplanation(string text)
    {
        if (_explanations.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = SpfMacroString.TryParse(text, 0, text.Length, SpfMacroSyntax.Explanation, out var result, out _) ? result : null;
        if (text.Length <= MaxCachedLength)
        {
            if (_explanations.Count >= _capacity)
            {
                _explanations.Clear();
            }

            _explanations.TryAdd(text, parsed);
        }

        return parsed;
    }
}
