namespace Filter.Engine.Dns;

/// <summary>
/// How a DNS query ended. SPF (RFC 7208 §4.4, §4.6.4, §5) and DMARC (RFC 9989) need all five
/// apart: NODATA and NXDOMAIN are "void" answers, SERVFAIL and timeout are temporary errors.
/// </summary>
public enum DnsResponseStatus
{
    /// <summary>The name exists and has at least one record of the asked type.</summary>
    Answer,

    /// <summary>The name exists (RCODE 0) but has no record of the asked type.</summary>
    NoData,

    /// <summary>The name does not exist (RCODE 3).</summary>
    NxDomain,

    /// <summary>The server answered with an error (SERVFAIL, REFUSED, a malformed reply...).</summary>
    ServerFailure,

    /// <summary>No answer arrived in time.</summary>
    Timeout,
}
