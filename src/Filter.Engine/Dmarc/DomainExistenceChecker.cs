using Filter.Engine.Dns;

namespace Filter.Engine.Dmarc;

/// <summary>
/// Tests whether a domain exists for the np tag. RFC 9989 Appendix A.4: any RR makes a name exist;
/// NXDOMAIN (RFC 8020) means it and every name below it do not. A, AAAA and MX are asked together
/// (the types RFC 5321 "resolvable" uses); an answer or NODATA to any of them proves existence; otherwise
/// an NXDOMAIN proves absence (RFC 8020: nothing exists at that name); only DNS errors leave it unknown.
/// </summary>
internal static class DomainExistenceChecker
{
    public static async Task<(DomainExistence Existence, string? Detail)> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var a = resolver.QueryAAsync(domain, cancellationToken).AsTask();
        var aaaa = resolver.QueryAaaaAsync(domain, cancellationToken).AsTask();
        var mx = resolver.QueryMxAsync(domain, cancellationToken).AsTask();
        var statuses = new[] { (await a.ConfigureAwait(false)).Status, (await aaaa.ConfigureAwait(false)).Status, (await mx.ConfigureAwait(false)).Status };
        var nx = 0;
        foreach (var status in statuses)
        {
            if (status is DnsResponseStatus.Answer or DnsResponseStatus.NoData)
            {
                return (DomainExistence.Exists, null);
            }

            if (status == DnsResponseStatus.NxDomain)
            {
                nx++;
            }
        }

        return nx > 0
            ? (DomainExistence.DoesNotExist, null)
            : (DomainExistence.Unknown, $"{domain}: A/AAAA/MX answered {statuses[0]}/{statuses[1]}/{statuses[2]}");
    }
}
