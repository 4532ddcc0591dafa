using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Pipeline;

/// <summary>
/// A resolver with a bug: TXT lookups throw (resolvers must return values, never throw), so the
/// pipeline's per-message catch is exercised. Other types are answered from the zone.
/// </summary>
internal sealed class ThrowingResolver(IDnsResolver inner) : IDnsResolver
{
    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("resolver bug for " + name);

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) => inner.QueryAAsync(name, cancellationToken);

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) => inner.QueryAaaaAsync(name, cancellationToken);

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) => inner.QueryMxAsync(name, cancellationToken);

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) => inner.QueryPtrAsync(name, cancellationToken);
}
