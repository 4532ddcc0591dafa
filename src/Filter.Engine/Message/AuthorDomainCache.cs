using System.Collections.Concurrent;

namespace Filter.Engine.Message;

/// <summary>
/// <see cref="AuthorDomainExtractor"/> results for a single From field, keyed by the field's exact value.
/// The extraction is a pure function of that text (MimeKit's strict parser, then IDNA), so a hit is exactly
/// what a fresh extraction gives; From values repeat heavily in real traffic (lists, notifications,
/// newsletters), and parsing one costs about a microsecond and a kilobyte per message (issue 7).
/// Bounded: at most <see cref="DefaultCapacity"/> values of at most <see cref="MaxCachedLength"/> chars;
/// when full it starts over. Messages with several From fields are never cached (they are rare and their
/// result depends on all of them). Thread-safe; one per <see cref="Pipeline.MessageAuthenticationEngine"/>.
/// </summary>
internal sealed class AuthorDomainCache
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer values are extracted every time rather than kept.</summary>
    public const int MaxCachedLength = 512;

    private readonly ConcurrentDictionary<string, AuthorDomainResult> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public AuthorDomainCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>Values held now.</summary>
    public int Count => _entries.Count;

    /// <summary>As <see cref="AuthorDomainExtractor.Extract(IReadOnlyList{string})"/>, from the cache for one known From value.</summary>
    public AuthorDomainResult Extract(IReadOnlyList<string> fromFieldValues)
    {
        ArgumentNullException.ThrowIfNull(fromFieldValues);
        if (fromFieldValues.Count != 1 || fromFieldValues[0] is not { Length: <= MaxCachedLength } value || _capacity == 0)
        {
            return AuthorDomainExtractor.Extract(fromFieldValues);
        }

        if (_entries.TryGetValue(value, out var cached))
        {
            return cached;
        }

        var result = AuthorDomainExtractor.Extract(fromFieldValues);
        if (_entries.Count >= _capacity)
        {
            _entries.Clear();
        }

        _entries.TryAdd(value, result);
        return result;
    }
}
