using System.Net;

namespace Filter.Engine.Policy;

/// <summary>Settings for the live resolver (issue 3): which servers to ask, how long to wait, how much to cache.</summary>
public sealed record DnsSettings
{
    /// <summary>Recursive resolvers to ask, in order, with their ports. Empty: the system's resolvers (/etc/resolv.conf).</summary>
    public IReadOnlyList<IPEndPoint> Nameservers { get; init; } = [];

    /// <summary>How long one query waits for an answer before it is retried or becomes a timeout. Default 2 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a query that timed out is sent again. Default 1.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Maximum number of cached answers (positive and negative); 0 turns the cache off. Default 10000.</summary>
    public int CacheSize { get; init; } = 10_000;
}
