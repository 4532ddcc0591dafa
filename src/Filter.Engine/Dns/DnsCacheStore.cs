namespace Filter.Engine.Dns;

/// <summary>
/// A bounded map from question to response with an expiry time: least recently used entries go
/// first when full, expired entries go when met. Memory is bounded by the entry count (each
/// response is at most one DNS message's worth of records). Thread-safe under one lock; every
/// operation is O(1) and a hit allocates nothing.
/// </summary>
internal sealed class DnsCacheStore(int capacity)
{
    private readonly Dictionary<DnsCacheKey, LinkedListNode<Entry>> _map = new(DnsCacheKey.Comparer);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>The live response for <paramref name="key"/> at timestamp <paramref name="now"/>.</summary>
    public bool TryGet(DnsCacheKey key, long now, out object? response)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                if (node.Value.ExpiresAt > now)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    response = node.Value.Response;
                    return true;
                }

                _map.Remove(key);
                _recency.Remove(node);
            }
        }

        response = null;
        return false;
    }

    public void Set(DnsCacheKey key, object response, long expiresAt)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _recency.Remove(existing);
                _map.Remove(key);
            }

            while (_map.Count >= capacity && _recency.Last is { } oldest)
            {
                _map.Remove(oldest.Value.Key);
                _recency.RemoveLast();
            }

            _map.Add(key, _recency.AddFirst(new Entry(key, response, expiresAt)));
        }
    }

    private sealed record Entry(DnsCacheKey Key, object Response, long ExpiresAt);
}
