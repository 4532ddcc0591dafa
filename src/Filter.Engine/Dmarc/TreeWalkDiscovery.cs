namespace Filter.Engine.Dmarc;

/// <summary>
/// RFC 9989 §4.10 DNS Tree Walk: policy discovery (§4.10.1) and the Organizational Domain (§4.10.2).
/// </summary>
/// <remarks>
/// A walk queries the start name, then, when the name has more labels than the query limit allows,
/// jumps to the right-most (limit - 1) labels, then drops one label at a time up to the TLD (§4.10
/// steps 3-7). It stops at a single record with psd=y or psd=n (steps 2 and 6), when no labels are
/// left, or at a DNS error (the rest of the walk cannot be trusted then). With the RFC's limit of 8:
/// <code>
/// a.b.c.d.e.f.g.h.i.j.mail.example.com   (13 labels)
///   _dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com   query 1, the start
///   _dmarc.g.h.i.j.mail.example.com               query 2, 7 labels remain
///   ... one label less each time ...
///   _dmarc.com                                    query 8
/// </code>
/// </remarks>
internal sealed class TreeWalkDiscovery : OrganizationalDomainDiscovery
{
    /// <summary>RFC 9989 §4.10: Author Domains with more than eight labels cause at most eight queries.</summary>
    public const int DefaultMaxQueries = 8;

    private readonly int _maxQueries;

    public TreeWalkDiscovery(int maxQueries = DefaultMaxQueries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueries, 2);
        _maxQueries = maxQueries;
    }

    public override DmarcMode Mode => DmarcMode.Rfc9989;

    public override async ValueTask<DmarcPolicyDiscovery> DiscoverPolicyAsync(string authorDomain, DmarcRecordLookup lookup, CancellationToken cancellationToken)
    {
        var walk = await WalkAsync(authorDomain, lookup, cancellationToken).ConfigureAwait(false);
        var first = walk.First;
        if (first.Status == DmarcRecordSetStatus.TempError)
        {
            return new DmarcPolicyDiscovery(DmarcDiscoveryStatus.TempError, null, null,
                OrganizationalDomainResult.Unknown(first.Detail!), $"DNS error at _dmarc.{authorDomain}: {first.Detail}");
        }

        var organizational = SelectOrganizationalDomain(walk);
        if (first.Status == DmarcRecordSetStatus.Single)
        {
            // §4.10.1: a valid record at the Author Domain is the one to apply, whatever its psd.
            return WithRecord(first, authorDomain, organizational);
        }

        if (walk.TemporaryError is not null)
        {
            // Without the rest of the walk the applicable record (Organizational Domain or PSD) is unknown.
            return new DmarcPolicyDiscovery(DmarcDiscoveryStatus.TempError, null, null, organizational, $"DNS error during the tree walk: {walk.TemporaryError}");
        }

        if (walk.Found.Count == 0)
        {
            var why = first.Status == DmarcRecordSetStatus.Multiple
                ? $"several DMARC records at _dmarc.{authorDomain} (discarded) and none above it"
                : $"no DMARC record at _dmarc.{authorDomain} or above it";
            return new DmarcPolicyDiscovery(DmarcDiscoveryStatus.NoPolicy, null, null, organizational, why);
        }

        // §4.10.1: the Organizational Domain's record, else the Public Suffix Domain's (the psd=y
        // record that ended the walk). The psd=n and fewest-labels rules always select a name with a record.
        var orgDomain = organizational.Domain!;
        DmarcRecordSet? chosen = null;
        foreach (var set in walk.Found)
        {
            if (set.Domain == orgDomain)
            {
                chosen = set;
                break;
            }
        }

        chosen ??= walk.Found[^1];
        return WithRecord(chosen, chosen.Domain, organizational);
    }

    public override async ValueTask<OrganizationalDomainResult> FindOrganizationalDomainAsync(string domain, DmarcRecordLookup lookup, CancellationToken cancellationToken)
    {
        var walk = await WalkAsync(domain, lookup, cancellationToken).ConfigureAwait(false);
        return SelectOrganizationalDomain(walk);
    }

    /// <summary>§4.10.2 selection, from the longest name with a record to the shortest.</summary>
    private static OrganizationalDomainResult SelectOrganizationalDomain(Walk walk)
    {
        foreach (var set in walk.Found)
        {
            var psd = set.Record!.Psd;
            if (psd == DmarcPsd.No)
            {
                return OrganizationalDomainResult.Known(set.Domain); // step 1
            }

            if (psd == DmarcPsd.Yes && set.Domain != walk.Start)
            {
                // Step 2: the name one label below the PSD, on the way to the start name.
                return OrganizationalDomainResult.Known(DmarcDomainName.LastLabels(walk.Start, DmarcDomainName.CountLabels(set.Domain) + 1));
            }
        }

        if (walk.TemporaryError is not null)
        {
            return OrganizationalDomainResult.Unknown(walk.TemporaryError);
        }

        // Step 3: the record with the fewest labels; with no record at all, the start name itself.
        return OrganizationalDomainResult.Known(walk.Found.Count > 0 ? walk.Found[^1].Domain : walk.Start);
    }

    private static DmarcPolicyDiscovery WithRecord(DmarcRecordSet set, string policyDomain, OrganizationalDomainResult organizational)
    {
        var parsed = set.Parsed!;
        var status = parsed.Status == DmarcRecordParseStatus.NoDmarcProcessing ? DmarcDiscoveryStatus.NoDmarcProcessing : DmarcDiscoveryStatus.PolicyFound;
        return new DmarcPolicyDiscovery(status, parsed.Record, policyDomain, organizational, $"_dmarc.{policyDomain}: {parsed.Reason}");
    }

    private async ValueTask<Walk> WalkAsync(string start, DmarcRecordLookup lookup, CancellationToken cancellationToken)
    {
        var found = new List<DmarcRecordSet>(4);
        var labels = DmarcDomainName.CountLabels(start);
        var first = await lookup.GetAsync(start, cancellationToken).ConfigureAwait(false);
        var current = first;
        var target = start;
        var queries = 1;
        while (true)
        {
            if (current.Status == DmarcRecordSetStatus.TempError)
            {
                return new Walk(start, first, found, $"_dmarc.{current.Domain}: {current.Detail}");
            }

            if (current.Status == DmarcRecordSetStatus.Single)
            {
                found.Add(current);
                if (current.Record!.Psd != DmarcPsd.Unspecified)
                {
                    break; // steps 2 and 6: psd=y or psd=n stops the walk
                }
            }

            // Step 4 (first jump): at most (limit - 1) labels remain, so the walk makes at most `limit`
            // queries; step 7 afterwards: one label less.
            string? next = queries == 1
                ? (labels > 1 ? DmarcDomainName.LastLabels(start, Math.Min(labels - 1, _maxQueries - 1)) : null)
                : DmarcDomainName.Parent(target);
            if (next is null || queries >= _maxQueries)
            {
                break;
            }

            target = next;
            queries++;
            current = await lookup.GetAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return new Walk(start, first, found, null);
    }

    private sealed record Walk(string Start, DmarcRecordSet First, List<DmarcRecordSet> Found, string? TemporaryError);
}
