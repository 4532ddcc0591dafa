namespace Filter.Engine.Dmarc;

/// <summary>Which DMARC specification the evaluator follows.</summary>
public enum DmarcMode
{
    /// <summary>
    /// RFC 9989 (the Internet Standard, default): DNS Tree Walk for policy discovery and the
    /// Organizational Domain (§4.10), <c>np</c>, <c>psd</c> and <c>t</c>; <c>pct</c>, <c>rf</c>, <c>ri</c> ignored.
    /// </summary>
    Rfc9989,

    /// <summary>
    /// RFC 7489 behaviour for sites that must keep it: Organizational Domain from the Public Suffix
    /// List (§3.2), discovery at the Author Domain then the Organizational Domain (§6.6.3),
    /// <c>pct</c> honoured with a seeded sampler (§6.6.4); <c>np</c>, <c>psd</c> and <c>t</c> are unknown tags.
    /// </summary>
    Rfc7489,
}
