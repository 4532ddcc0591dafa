namespace Filter.Engine.Dmarc;

/// <summary>The outcome of policy discovery for one Author Domain.</summary>
/// <param name="Status">Whether a policy applies.</param>
/// <param name="Record">The applicable record (also for <see cref="DmarcDiscoveryStatus.NoDmarcProcessing"/>), else null.</param>
/// <param name="PolicyDomain">Where the record was found (the DMARC Policy Domain, RFC 9989 §3.2.5), else null.</param>
/// <param name="OrganizationalDomain">The Author Domain's Organizational Domain, or why it is unknown.</param>
/// <param name="Reason">Why, for a human.</param>
internal sealed record DmarcPolicyDiscovery(
    DmarcDiscoveryStatus Status,
    DmarcRecord? Record,
    string? PolicyDomain,
    OrganizationalDomainResult OrganizationalDomain,
    string Reason);
