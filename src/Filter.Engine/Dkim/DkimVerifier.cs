using Filter.Engine.Dns;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// DKIM verification (RFC 6376 §6, RFC 8301, RFC 8463). One instance serves many messages; each
/// message gets a <see cref="DkimVerificationSession"/> that is fed the message as the milter
/// delivers it. Key lookups go through the injected <see cref="IDnsResolver"/>; the clock for t= and
/// x= is the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class DkimVerifier
{
    /// <summary>Hash contexts kept for reuse: enough for the messages one verifier has in flight at once.</summary>
    private const int HashPoolSize = 64;

    private readonly IDnsResolver _resolver;
    private readonly DkimVerifierOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DkimKeyCache _keyCache;
    private readonly DkimHashPool _hashPool = new(HashPoolSize);

    public DkimVerifier(IDnsResolver resolver, DkimVerifierOptions? options = null, TimeProvider? timeProvider = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _options = options ?? DkimVerifierOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _keyCache = new DkimKeyCache(_options.KeyCacheSize);
    }

    /// <summary>The hash contexts this verifier's sessions share (tests: nothing of one message may reach the next).</summary>
    internal DkimHashPool HashPool => _hashPool;

    /// <summary>Starts the verification of one message.</summary>
    public DkimVerificationSession StartSession() => new(_resolver, _options, _timeProvider, _keyCache, _hashPool);

    /// <summary>Starts one message whose key lookups go to <paramref name="resolver"/> (a recorded message); the key cache is shared.</summary>
    internal DkimVerificationSession StartSession(IDnsResolver resolver) => new(resolver, _options, _timeProvider, _keyCache, _hashPool);

    /// <summary>
    /// Verifies a whole stored message (CLI, tests, replay): the same session, fed the header fields
    /// and then the body in <see cref="DkimVerifierOptions.ChunkSize"/> chunks.
    /// </summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(Stream message, CancellationToken cancellationToken)
    {
        using var session = StartSession();
        await RawMessageReader.ReadAsync(message, session, _options.ChunkSize, cancellationToken).ConfigureAwait(false);
        return await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
