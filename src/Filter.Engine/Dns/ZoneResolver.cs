using System.Net;

namespace Filter.Engine.Dns;

/// <summary>
/// Serves a <see cref="DnsZone"/> as a recursive resolver would: follows CNAME chains (a loop or a
/// chain longer than <see cref="MaxCnameChain"/> is a server failure, RFC 1034 §3.6.2), answers
/// NXDOMAIN for names that do not exist, NODATA for names that exist without the asked type, and the
/// injected timeouts and failures. Used by tests, samples, replay and `--zone` demos.
/// </summary>
public sealed class ZoneResolver(DnsZone zone) : IDnsResolver
{
    /// <summary>How many CNAME hops are followed before the answer is a server failure.</summary>
    public const int MaxCnameChain = 8;

    private readonly DnsZone _zone = zone ?? throw new ArgumentNullException(nameof(zone));

    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, DnsRecordType.Txt, static node => node.Txt));

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, DnsRecordType.A, static node => node.A));

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, DnsRecordType.Aaaa, static node => node.Aaaa));

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, DnsRecordType.Mx, static node => node.Mx));

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, DnsRecordType.Ptr, static node => node.Ptr));

    private DnsResponse<T> Resolve<T>(string name, DnsRecordType type, Func<DnsZone.ZoneNode, List<T>> select)
    {
        var current = DnsZone.Normalize(name);
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            if (!TryFindNode(current, out var node))
            {
                return _zone.Exists(current) ? DnsResponse<T>.NoData() : DnsResponse<T>.NxDomain();
            }

            var records = select(node);
            if (records.Count > 0)
            {
                return node.Answer(records, type);
            }

            var failureKey = node.Failures.ContainsKey(type) ? type : DnsZone.AnyType;
            if (node.Failures.TryGetValue(failureKey, out var failure))
            {
                return DnsResponse<T>.Failure(failure, node.FailureDetails.TryGetValue(failureKey, out var detail) ? detail : $"{current}: injected {failure}");
            }

            if (node.Cname is null)
            {
                return DnsResponse<T>.NoData();
            }

            current = node.Cname;
        }

        return DnsResponse<T>.Failure(DnsResponseStatus.ServerFailure, $"{name}: CNAME chain longer than {MaxCnameChain} or a loop");
    }

    private bool TryFindNode(string name, out DnsZone.ZoneNode node)
    {
        if (_zone.TryGetNode(name, out node))
        {
            return true;
        }

        if (_zone.Exists(name))
        {
            return false;
        }

        // RFC 4592 §3.3.1: a wildcard at the closest encloser answers for a name that does not exist.
        var current = name;
        while (true)
        {
            var dot = current.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            current = current[(dot + 1)..];
            if (_zone.Exists(current))
            {
                return _zone.TryGetNode("*." + current, out node);
            }
        }
    }
}
