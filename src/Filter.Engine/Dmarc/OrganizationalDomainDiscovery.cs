namespace Filter.Engine.Dmarc;

/// <summary>
/// Finds the DMARC Policy Record of an Author Domain and the Organizational Domain of any domain.
/// Two implementations, chosen by <see cref="DmarcOptions.Mode"/>: <see cref="TreeWalkDiscovery"/>
/// (RFC 9989 §4.10, the default) and <see cref="PublicSuffixListDiscovery"/> (RFC 7489 §3.2, §6.6.3).
/// </summary>
/// <remarks>Stateless apart from configuration; per-message state lives in <see cref="DmarcRecordLookup"/>.</remarks>
internal abstract class OrganizationalDomainDiscovery
{
    /// <summary>The specification this discovery follows; the record parser reads tags accordingly.</summary>
    public abstract DmarcMode Mode { get; }

    /// <summary>Policy discovery for a normalized Author Domain.</summary>
    public abstract ValueTask<DmarcPolicyDiscovery> DiscoverPolicyAsync(string authorDomain, DmarcRecordLookup lookup, CancellationToken cancellationToken);

    /// <summary>The Organizational Domain of a normalized domain, for relaxed alignment.</summary>
    public abstract ValueTask<OrganizationalDomainResult> FindOrganizationalDomainAsync(string domain, DmarcRecordLookup lookup, CancellationToken cancellationToken);

    /// <summary>The discovery <paramref name="options"/> ask for.</summary>
    public static OrganizationalDomainDiscovery Create(DmarcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode switch
        {
            DmarcMode.Rfc9989 => new TreeWalkDiscovery(options.TreeWalkMaxQueries),
            DmarcMode.Rfc7489 => new PublicSuffixListDiscovery(
                options.PublicSuffixListPath is not null ? PublicSuffixList.Load(options.PublicSuffixListPath, options.PublicSuffixListIncludesPrivateDomains)
                : options.PublicSuffixListIncludesPrivateDomains ? PublicSuffixList.Embedded
                : PublicSuffixList.LoadEmbedded(includePrivateDomains: false)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown DMARC mode."),
        };
    }
}
