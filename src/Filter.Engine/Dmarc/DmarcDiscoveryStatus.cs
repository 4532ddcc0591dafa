namespace Filter.Engine.Dmarc;

/// <summary>How policy discovery for the Author Domain ended (RFC 9989 §4.10.1, RFC 7489 §6.6.3).</summary>
internal enum DmarcDiscoveryStatus
{
    /// <summary>A DMARC Policy Record applies.</summary>
    PolicyFound,

    /// <summary>No record applies: the DMARC mechanism is not applied (result none).</summary>
    NoPolicy,

    /// <summary>The applicable record has no valid p (or a bad sp/np) and no valid rua: no DMARC processing (result none).</summary>
    NoDmarcProcessing,

    /// <summary>A DNS query did not complete, so the applicable record is unknown (result temperror).</summary>
    TempError,
}
