namespace Filter.Engine.Dmarc;

/// <summary>Whether a domain exists in the DNS, for the np tag (RFC 9989 §3.2.13, Appendix A.4).</summary>
internal enum DomainExistence
{
    Exists,
    DoesNotExist,

    /// <summary>Every answer was a DNS error, so existence is unknown.</summary>
    Unknown,
}
