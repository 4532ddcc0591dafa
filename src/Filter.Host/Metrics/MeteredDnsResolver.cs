using System.Net;
using Filter.Engine.Dns;

namespace Filter.Host.Metrics;

/// <summary>
/// Counts the queries the checks ask and the ones that failed temporarily (timeout, server
/// failure), then passes everything through unchanged. Sits above the cache, so it counts what
/// the engine asks, not what goes on the wire.
/// </summary>
internal sealed class MeteredDnsResolver(IDnsResolver inner, FilterMetrics metrics) : IDnsResolver
{
    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        CountAsync(inner.QueryTxtAsync(name, cancellationToken), "TXT");

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        CountAsync(inner.QueryAAsync(name, cancellationToken), "A");

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        CountAsync(inner.QueryAaaaAsync(name, cancellationToken), "AAAA");

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        CountAsync(inner.QueryMxAsync(name, cancellationToken), "MX");

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        CountAsync(inner.QueryPtrAsync(name, cancellationToken), "PTR");

    private ValueTask<DnsResponse<T>> CountAsync<T>(ValueTask<DnsResponse<T>> pending, string type)
    {
        metrics.DnsQuery(type);
        if (pending.IsCompletedSuccessfully)
        {
            // Cache hits complete synchronously: no state machine for them.
            DnsResponse<T> response = pending.Result;
            CountFailure(response.Status);
            return ValueTask.FromResult(response);
        }

        return AwaitAsync(pending);
    }

    private async ValueTask<DnsResponse<T>> AwaitAsync<T>(ValueTask<DnsResponse<T>> pending)
    {
        DnsResponse<T> response = await pending.ConfigureAwait(false);
        CountFailure(response.Status);
        return response;
    }

    private void CountFailure(DnsResponseStatus status)
    {
        if (status == DnsResponseStatus.Timeout)
        {
            metrics.DnsFailure("timeout");
        }
        else if (status == DnsResponseStatus.ServerFailure)
        {
            metrics.DnsFailure("servfail");
        }
    }
}
