namespace Filter.Engine.Dns;

/// <summary>
/// Settings of <see cref="CachingDnsResolver"/>. Answers live for their own TTL, capped; negative
/// answers for their RFC 2308 §5 TTL, capped; failures briefly, only to absorb bursts.
/// </summary>
public sealed record DnsCacheOptions
{
    /// <summary>Most responses kept; the least recently used goes first. Default 10 000; 0 disables the cache.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Cap on an answer's TTL (RFC 8767 §4 suggests capping long TTLs). Default 1 day.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Lifetime of an answer whose source gave no TTL (zone data). Default 5 minutes.</summary>
    public TimeSpan DefaultTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Cap on a NODATA/NXDOMAIN lifetime, min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). Default 15
    /// minutes, so a record an admin just published is seen soon.
    /// </summary>
    public TimeSpan NegativeMaxTtl { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of a NODATA/NXDOMAIN that carries no SOA. Default 60 s.</summary>
    public TimeSpan NegativeDefaultTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Lifetime of a SERVFAIL or timeout. Default 5 s: long enough that a burst of mail from a domain
    /// whose servers are down does not pay the full timeout per message, short enough that one lost
    /// packet does not turn minutes of mail into temperror. The recursive resolver behind us already
    /// caches failures itself (RFC 9520 §3.2, at most 5 minutes); 0 disables.
    /// </summary>
    public TimeSpan FailureTtl { get; init; } = TimeSpan.FromSeconds(5);
}
