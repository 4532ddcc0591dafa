using System.Collections.Concurrent;

namespace Filter.Engine.Dkim;

/// <summary>
/// Imported public keys by key type and p= bytes, shared by the sessions of one verifier. Importing an
/// RSA key costs far more than verifying with it (OpenSSL builds the key object), and receivers see the
/// same few keys all day. The p= value is the key, so an entry can never be stale; DNS TTLs still
/// govern when records are fetched. Bounded: when full, the cache starts over. Keys are never disposed
/// here, since another session may be using one; their handles are released by the finalizer.
/// </summary>
internal sealed class DkimKeyCache(int capacity)
{
    private readonly ConcurrentDictionary<string, DkimPublicKey> _keys = new(StringComparer.Ordinal);

    public bool TryGet(DkimKeyType type, byte[] keyBytes, out DkimPublicKey? key, out string? error)
    {
        var name = (type == DkimKeyType.Rsa ? "r:" : "e:") + Convert.ToBase64String(keyBytes);
        if (capacity > 0 && _keys.TryGetValue(name, out key))
        {
            error = null;
            return true;
        }

        if (!DkimPublicKey.TryCreate(type, keyBytes, out key, out error))
        {
            return false;
        }

        if (capacity > 0)
        {
            if (_keys.Count >= capacity)
            {
                _keys.Clear();
            }

            _keys.TryAdd(name, key!);
        }

        return true;
    }
}
