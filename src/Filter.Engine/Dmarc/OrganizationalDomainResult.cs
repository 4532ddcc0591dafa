namespace Filter.Engine.Dmarc;

/// <summary>The Organizational Domain of one domain, or why it is unknown.</summary>
/// <param name="Domain">The Organizational Domain (normalized), or null when a DNS error hid it.</param>
/// <param name="TemporaryError">The DNS trouble that stopped the Tree Walk, or null.</param>
internal sealed record OrganizationalDomainResult(string? Domain, string? TemporaryError)
{
    public static OrganizationalDomainResult Known(string domain) => new(domain, null);

    public static OrganizationalDomainResult Unknown(string error) => new(null, error);
}
