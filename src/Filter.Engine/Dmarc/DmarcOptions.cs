namespace Filter.Engine.Dmarc;

/// <summary>
/// DMARC settings, filled by the host from <c>filter.yaml</c>. Every limit is explicit (DESIGN.md).
/// </summary>
public sealed class DmarcOptions
{
    /// <summary>RFC 9989 (default) or RFC 7489 behaviour.</summary>
    public DmarcMode Mode { get; init; } = DmarcMode.Rfc9989;

    /// <summary>
    /// Most DNS queries one Tree Walk may make (RFC 9989 §4.10: eight). Longer names skip labels
    /// after the first query so the limit holds.
    /// </summary>
    public int TreeWalkMaxQueries { get; init; } = 8;

    /// <summary>
    /// A newer Public Suffix List file for <see cref="DmarcMode.Rfc7489"/>; null uses the snapshot
    /// embedded in Filter.Engine (Dmarc/Data/README.md).
    /// </summary>
    public string? PublicSuffixListPath { get; init; }

    /// <summary>Whether the list's PRIVATE section counts (default true, as most DMARC implementations do).</summary>
    public bool PublicSuffixListIncludesPrivateDomains { get; init; } = true;

    /// <summary>Several From fields or several Author Domains: reject (default) or evaluate each.</summary>
    public MultipleAuthorDomainsHandling MultipleAuthorDomains { get; init; } = MultipleAuthorDomainsHandling.Reject;

    /// <summary>
    /// Most Author Domains evaluated under <see cref="MultipleAuthorDomainsHandling.EvaluateEach"/>; more is
    /// a permerror (RFC 9989 §11.5: limit them to avoid a denial of service).
    /// </summary>
    public int MaxAuthorDomains { get; init; } = 5;

    /// <summary>The disposition given with a permerror for an unusable From field (none, malformed, several).</summary>
    public DmarcDisposition UnusableAuthorDisposition { get; init; } = DmarcDisposition.Reject;

    /// <summary>Seed of the default pct sampler in <see cref="DmarcMode.Rfc7489"/> (when none is injected).</summary>
    public int PercentSamplerSeed { get; init; }
}
