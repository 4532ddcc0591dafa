using System.Net;

namespace Filter.Engine.Dns;

/// <summary>
/// Settings of <see cref="LiveDnsResolver"/>, filled by the host from <c>filter.yaml</c> (<c>dns:</c>).
/// Every limit is explicit: a query costs at most
/// <c>NameServers.Count × (Retries + 1) × Timeout</c> before it ends as <see cref="DnsResponseStatus.Timeout"/>.
/// </summary>
public sealed record LiveDnsResolverOptions
{
    /// <summary>
    /// The recursive resolvers to ask, in order, each with its port. Empty (the default) means the
    /// system's: the <c>nameserver</c> lines of /etc/resolv.conf, read once at construction.
    /// </summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; init; } = [];

    /// <summary>
    /// How long one try waits for an answer (UDP, or TCP after truncation). Default 2 s, as
    /// <c>dns.timeout</c> in filter.yaml: well inside the MTA's milter timeouts.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a timed-out query is sent again to the same server. Default 1.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>
    /// Repeat a truncated UDP answer (TC bit) over TCP (RFC 7766 §5). Default on; when off, a
    /// truncated answer is a <see cref="DnsResponseStatus.ServerFailure"/>, never a partial RRset.
    /// </summary>
    public bool UseTcpFallback { get; init; } = true;

    /// <summary>
    /// The EDNS(0) UDP payload size offered to the server (RFC 6891 §6.2.5). Default 1232, the
    /// DNS Flag Day 2020 value that avoids IP fragmentation; larger answers come by TCP.
    /// </summary>
    public int UdpPayloadSize { get; init; } = 1232;

    /// <summary>The answer cache in front of the resolver (see <see cref="CachingDnsResolver"/>).</summary>
    public DnsCacheOptions Cache { get; init; } = new();
}
