using System.Net;

namespace Filter.Engine.Dns;

/// <summary>
/// A TTL-honouring cache in front of any <see cref="IDnsResolver"/>, with negative caching and
/// shared in-flight lookups. Used in front of <see cref="LiveDnsResolver"/> (see
/// <see cref="LiveDnsResolver.Create"/>).
/// </summary>
/// <remarks>
/// <para>How long a response is kept (<see cref="DnsCacheOptions"/>):</para>
/// <list type="bullet">
/// <item>an answer: its <see cref="DnsResponse{T}.TimeToLive"/> (the smallest TTL of the records and
/// CNAMEs used), capped by <see cref="DnsCacheOptions.MaxTtl"/>; <see cref="DnsCacheOptions.DefaultTtl"/>
/// when the source gives none; a TTL of 0 is used for this lookup only (RFC 1035 §3.2.1);</item>
/// <item>NODATA and NXDOMAIN: min(SOA TTL, SOA MINIMUM) from the authority section (RFC 2308 §5),
/// capped by <see cref="DnsCacheOptions.NegativeMaxTtl"/>; <see cref="DnsCacheOptions.NegativeDefaultTtl"/>
/// without SOA;</item>
/// <item>SERVFAIL and timeout: <see cref="DnsCacheOptions.FailureTtl"/> (RFC 2308 §7, RFC 9520).</item>
/// </list>
/// <para>
/// Identical questions asked while one lookup is running wait for that lookup instead of sending
/// their own (the pipeline starts SPF, DKIM and DMARC lookups early and in parallel). The shared
/// lookup is not cancelled by any one caller; it ends by the inner resolver's own timeouts. A
/// caller's token only stops that caller's wait. Time comes from the injected <see cref="TimeProvider"/>
/// (monotonic timestamps).
/// </para>
/// </remarks>
public sealed class CachingDnsResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly DnsCacheOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DnsCacheStore _store;
    private readonly Dictionary<DnsCacheKey, Task> _inFlight = new(DnsCacheKey.Comparer);
    private readonly Lock _inFlightLock = new();

    public CachingDnsResolver(IDnsResolver inner, DnsCacheOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEntries, nameof(options.MaxEntries));
        _inner = inner;
        _options = options;
        _timeProvider = timeProvider;
        _store = new DnsCacheStore(options.MaxEntries);
    }

    /// <summary>Responses held now (expired ones included until they are met or evicted).</summary>
    public int Count => _store.Count;

    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, DnsRecordType.Txt, static (resolver, n, ct) => resolver.QueryTxtAsync(n, ct), cancellationToken);

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, DnsRecordType.A, static (resolver, n, ct) => resolver.QueryAAsync(n, ct), cancellationToken);

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, DnsRecordType.Aaaa, static (resolver, n, ct) => resolver.QueryAaaaAsync(n, ct), cancellationToken);

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, DnsRecordType.Mx, static (resolver, n, ct) => resolver.QueryMxAsync(n, ct), cancellationToken);

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, DnsRecordType.Ptr, static (resolver, n, ct) => resolver.QueryPtrAsync(n, ct), cancellationToken);

    private ValueTask<DnsResponse<T>> QueryAsync<T>(
        string name,
        DnsRecordType type,
        Func<IDnsResolver, string, CancellationToken, ValueTask<DnsResponse<T>>> query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = new DnsCacheKey(name, type);
        if (_store.TryGet(key, _timeProvider.GetTimestamp(), out var cached))
        {
            // The hot path: no allocation, no await.
            return new ValueTask<DnsResponse<T>>((DnsResponse<T>)cached!);
        }

        return new ValueTask<DnsResponse<T>>(SharedLookup(key, name, query).WaitAsync(cancellationToken));
    }

    private Task<DnsResponse<T>> SharedLookup<T>(
        DnsCacheKey key,
        string name,
        Func<IDnsResolver, string, CancellationToken, ValueTask<DnsResponse<T>>> query)
    {
        TaskCompletionSource<DnsResponse<T>> completion;
        lock (_inFlightLock)
        {
            // Checked again under the lock: a lookup that just ended stored its response before
            // leaving the in-flight table, so a caller sees one or the other, never neither.
            if (_store.TryGet(key, _timeProvider.GetTimestamp(), out var cached))
            {
                return Task.FromResult((DnsResponse<T>)cached!);
            }

            if (_inFlight.TryGetValue(key, out var running))
            {
                return (Task<DnsResponse<T>>)running;
            }

            completion = new TaskCompletionSource<DnsResponse<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight.Add(key, completion.Task);
        }

        _ = RunLookupAsync(key, name, query, completion);
        return completion.Task;
    }

    private async Task RunLookupAsync<T>(
        DnsCacheKey key,
        string name,
        Func<IDnsResolver, string, CancellationToken, ValueTask<DnsResponse<T>>> query,
        TaskCompletionSource<DnsResponse<T>> completion)
    {
        try
        {
            // Not cancellable by any one waiter: others may still want the answer.
            var response = await query(_inner, name, CancellationToken.None).ConfigureAwait(false);
            var lifetime = Lifetime(response);
            if (lifetime > TimeSpan.Zero)
            {
                var now = _timeProvider.GetTimestamp();
                _store.Set(key, response, now + (long)(lifetime.TotalSeconds * _timeProvider.TimestampFrequency));
            }

            completion.SetResult(response);
        }
        catch (Exception exception)
        {
            // A bug in the inner resolver (DNS trouble is a value): every waiter sees it, nothing is cached.
            completion.SetException(exception);
        }
        finally
        {
            lock (_inFlightLock)
            {
                _inFlight.Remove(key);
            }
        }
    }

    private TimeSpan Lifetime<T>(DnsResponse<T> response) => response.Status switch
    {
        DnsResponseStatus.Answer => Min(response.TimeToLive ?? _options.DefaultTtl, _options.MaxTtl),
        DnsResponseStatus.NoData or DnsResponseStatus.NxDomain =>
            Min(response.TimeToLive ?? _options.NegativeDefaultTtl, _options.NegativeMaxTtl),
        _ => _options.FailureTtl,
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
