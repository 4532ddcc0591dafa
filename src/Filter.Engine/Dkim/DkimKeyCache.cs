using System.Collections.Concurrent;

namespace Filter.Engine.Dkim;

/// <summary>
/// Parsed key records and their imported public keys by TXT record text, shared by the sessions of one
/// verifier. Importing an RSA key costs far more than verifying with it (OpenSSL builds the key object),
/// and parsing the record means a tag list and a base64 decode; receivers see the same few records all
/// day. The text holds p=, so an entry can never be stale; DNS TTLs still govern when records are
/// fetched. Bounded: when full, the cache starts over. Keys are never disposed here, since another
/// session may be using one; their handles are released by the finalizer.
/// </summary>
internal sealed class DkimKeyCache(int capacity)
{
    private readonly ConcurrentDictionary<string, DkimKeyCacheEntry> _entries = new(StringComparer.Ordinal);

    // The entry found last, with the very string it was found by. A caching resolver hands out the same
    // string instance for a record as long as it holds it, so a busy selector is found by reference,
    // without hashing its few hundred characters of p= each message. Replaced whole, so never torn.
    private Recent? _recent;

    /// <summary>The record parsed from <paramref name="text"/> and its key imported (or the reasons why not).</summary>
    public DkimKeyCacheEntry Get(string text)
    {
        if (_recent is { } recent && ReferenceEquals(recent.Text, text))
        {
            return recent.Entry;
        }

        if (capacity > 0 && _entries.TryGetValue(text, out var cached))
        {
            _recent = new Recent(text, cached);
            return cached;
        }

        var entry = DkimKeyCacheEntry.Create(text);
        if (capacity > 0)
        {
            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }

            _entries.TryAdd(text, entry);
            _recent = new Recent(text, entry);
        }

        return entry;
    }

    private sealed record Recent(string Text, DkimKeyCacheEntry Entry);
}
