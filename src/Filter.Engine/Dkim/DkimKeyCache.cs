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

    /// <summary>The record parsed from <paramref name="text"/> and its key imported (or the reasons why not).</summary>
    public DkimKeyCacheEntry Get(string text)
    {
        if (capacity > 0 && _entries.TryGetValue(text, out var cached))
        {
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
        }

        return entry;
    }
}
