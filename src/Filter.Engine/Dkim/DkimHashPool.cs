using System.Security.Cryptography;

namespace Filter.Engine.Dkim;

/// <summary>
/// SHA-256 hash contexts kept between messages by one <see cref="DkimVerifier"/>. Creating an
/// <see cref="IncrementalHash"/> builds a native digest context (OpenSSL EVP_MD_CTX), about 0.5 µs,
/// which is a tenth of the fixed per-message work of a small message; a context is reusable once its
/// hash was taken (<see cref="IncrementalHash.GetHashAndReset()"/> leaves it freshly initialised).
/// Contract: only a context in that reset state may be returned, so nothing of one message can reach
/// the next; <see cref="Return"/> resets one that was abandoned mid-message (an aborted message).
/// Thread-safe (sessions of one verifier run concurrently); bounded, extras are disposed.
/// Other algorithms (SHA-1, only for refused rsa-sha1 signatures) are not pooled.
/// </summary>
internal sealed class DkimHashPool(int capacity)
{
    private readonly Lock _lock = new();
    private readonly IncrementalHash?[] _items = new IncrementalHash?[capacity];
    private int _count;

    /// <summary>How many reset contexts wait in the pool (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>A context in its initial state for <paramref name="algorithm"/>.</summary>
    public IncrementalHash Rent(HashAlgorithmName algorithm)
    {
        if (algorithm == HashAlgorithmName.SHA256)
        {
            lock (_lock)
            {
                if (_count > 0)
                {
                    var hash = _items[--_count]!;
                    _items[_count] = null;
                    return hash;
                }
            }
        }

        return IncrementalHash.CreateHash(algorithm);
    }

    /// <summary>
    /// Gives a context back. <paramref name="dirty"/>: data was appended since its last hash was taken
    /// (the message was abandoned); it is reset here before anyone can rent it again.
    /// </summary>
    public void Return(IncrementalHash hash, bool dirty)
    {
        if (hash.AlgorithmName != HashAlgorithmName.SHA256)
        {
            hash.Dispose();
            return;
        }

        if (dirty)
        {
            // Finishing the digest is the only public way to reset the native context.
            Span<byte> discard = stackalloc byte[SHA256.HashSizeInBytes];
            hash.TryGetHashAndReset(discard, out _);
        }

        lock (_lock)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = hash;
                return;
            }
        }

        hash.Dispose();
    }
}
