using Filter.Engine.Caching;

namespace Filter.Engine.Message;

/// <summary>
/// <see cref="AuthorDomainExtractor"/> results for a single From field, keyed by the field's exact value.
/// The extraction is a pure function of that text (MimeKit's strict parser, then IDNA), so a hit is exactly
/// what a fresh extraction gives; From values repeat heavily in real traffic (lists, notifications,
/// newsletters), and parsing one costs about a microsecond and a kilobyte per message (issue 7).
/// Bounded (<see cref="ParsedTextCache{TValue}"/>): at most <see cref="DefaultCapacity"/> values of at most
/// <see cref="MaxCachedLength"/> chars; when full it starts over. Messages with several From fields are never cached (they are rare and their
/// result depends on all of them). Thread-safe; one per <see cref="Pipeline.MessageAuthenticationEngine"/>.
/// </summary>
internal sealed class AuthorDomainCache
{
    public const int DefaultCapacity = 4096;

    /// <summary>Longer values are extracted every time rather than kept.</summary>
    public const int MaxCachedLength = 512;

    private readonly ParsedTextCache<AuthorDomainResult> _results;

    public AuthorDomainCache(int capacity = DefaultCapacity)
    {
        _results = new ParsedTextCache<AuthorDomainResult>(capacity, MaxCachedLength);
    }

    /// <summary>Values held now.</summary>
    public int Count => _results.Count;

    /// <summary>As <see cref="AuthorDomainExtractor.Extract(IReadOnlyList{string})"/>, from the cache for one known From value.</summary>
    public AuthorDomainResult Extract(IReadOnlyList<string> fromFieldValues)
    {
        ArgumentNullException.ThrowIfNull(fromFieldValues);
        if (fromFieldValues.Count != 1)
        {
            return AuthorDomainExtractor.Extract(fromFieldValues);
        }

        return _results.GetOrParse(fromFieldValues[0], fromFieldValues, static (_, values) => AuthorDomainExtractor.Extract(values));
    }
}
