namespace Filter.Engine.Policy;

/// <summary>Which DMARC specification decides the organizational domain and the policy.</summary>
public enum DmarcMode
{
    /// <summary>RFC 9989: organizational domain by the DNS Tree Walk (§4.10); no public suffix list needed.</summary>
    Rfc9989,

    /// <summary>RFC 7489: organizational domain from a public suffix list (§3.2); needs the list's file.</summary>
    Rfc7489,
}
