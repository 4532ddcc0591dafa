using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// A decorator over zone data that stamps the TTL a live server would give (per name), so the cache's
/// TTL rules can be tested on a manual clock. The records and statuses still come from the zone.
/// </summary>
internal sealed class TtlResolver(IDnsResolver inner, IReadOnlyDictionary<string, TimeSpan> ttls) : IDnsResolver
{
    public async ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        Stamp(name, await inner.QueryTxtAsync(name, cancellationToken));

    public async ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        Stamp(name, await inner.QueryAAsync(name, cancellationToken));

    public async ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        Stamp(name, await inner.QueryAaaaAsync(name, cancellationToken));

    public async ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        Stamp(name, await inner.QueryMxAsync(name, cancellationToken));

    public async ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        Stamp(name, await inner.QueryPtrAsync(name, cancellationToken));

    private DnsResponse<T> Stamp<T>(string name, DnsResponse<T> response) =>
        ttls.TryGetValue(name, out var ttl) ? response with { TimeToLive = ttl } : response;
}
