namespace Filter.Engine.Dmarc;

/// <summary>
/// RFC 7489 discovery: the Organizational Domain is the registrable domain by the Public Suffix List
/// (§3.2), and the policy record is looked for at the Author Domain, then at its Organizational
/// Domain (§6.6.3 steps 1-5).
/// </summary>
internal sealed class PublicSuffixListDiscovery(PublicSuffixList list) : OrganizationalDomainDiscovery
{
    private readonly PublicSuffixList _list = list;

    public override DmarcMode Mode => DmarcMode.Rfc7489;

    public override async ValueTask<DmarcPolicyDiscovery> DiscoverPolicyAsync(string authorDomain, DmarcRecordLookup lookup, CancellationToken cancellationToken)
    {
        var organizational = OrganizationalDomainResult.Known(OrganizationalDomainOf(authorDomain));
        var set = await lookup.GetAsync(authorDomain, cancellationToken).ConfigureAwait(false);
        if (set.Status == DmarcRecordSetStatus.Empty && organizational.Domain != authorDomain)
        {
            // §6.6.3 step 3: only when the Author Domain has no DMARC record at all.
            set = await lookup.GetAsync(organizational.Domain!, cancellationToken).ConfigureAwait(false);
        }

        return set.Status switch
        {
            DmarcRecordSetStatus.TempError => new DmarcPolicyDiscovery(DmarcDiscoveryStatus.TempError, null, null, organizational, $"DNS error at _dmarc.{set.Domain}: {set.Detail}"),
            DmarcRecordSetStatus.Multiple => new DmarcPolicyDiscovery(DmarcDiscoveryStatus.NoPolicy, null, null, organizational,
                $"several DMARC records at _dmarc.{set.Domain}: DMARC does not apply (RFC 7489 6.6.3 step 5)"),
            DmarcRecordSetStatus.Empty => new DmarcPolicyDiscovery(DmarcDiscoveryStatus.NoPolicy, null, null, organizational,
                $"no DMARC record at _dmarc.{authorDomain} or its organizational domain {organizational.Domain}"),
            _ => new DmarcPolicyDiscovery(
                set.Parsed!.Status == DmarcRecordParseStatus.NoDmarcProcessing ? DmarcDiscoveryStatus.NoDmarcProcessing : DmarcDiscoveryStatus.PolicyFound,
                set.Record, set.Domain, organizational, $"_dmarc.{set.Domain}: {set.Parsed.Reason}"),
        };
    }

    public override ValueTask<OrganizationalDomainResult> FindOrganizationalDomainAsync(string domain, DmarcRecordLookup lookup, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OrganizationalDomainResult.Known(OrganizationalDomainOf(domain)));

    /// <summary>RFC 7489 §3.2 steps 3-4; a name that is itself a public suffix is its own Organizational Domain.</summary>
    private string OrganizationalDomainOf(string domain) => _list.GetRegistrableDomain(domain) ?? domain;
}
