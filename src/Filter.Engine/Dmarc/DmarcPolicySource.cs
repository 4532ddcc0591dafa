namespace Filter.Engine.Dmarc;

/// <summary>Which tag of the policy record supplied the policy that applies (RFC 9989 §4.10.1).</summary>
public enum DmarcPolicySource
{
    /// <summary><c>p</c>: the record is the Author Domain's own.</summary>
    P,

    /// <summary><c>sp</c> (or <c>p</c> by default): the Author Domain is an existing subdomain of the policy domain.</summary>
    Sp,

    /// <summary><c>np</c> (or <c>sp</c>/<c>p</c> by default): the Author Domain does not exist (NXDOMAIN, RFC 9989 §3.2.13).</summary>
    Np,
}
