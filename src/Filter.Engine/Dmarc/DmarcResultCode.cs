namespace Filter.Engine.Dmarc;

/// <summary>DMARC results as RFC 8601 §2.7 (RFC 7489 §11.2) and RFC 9989 §9.2 name them (written lower-case in the header).</summary>
public enum DmarcResultCode
{
    /// <summary>No DMARC Policy Record applies to the Author Domain (or no DMARC processing, RFC 9989 §4.10.1).</summary>
    None,

    /// <summary>A policy record exists and an Authenticated Identifier is aligned (RFC 9989 §5.3.5).</summary>
    Pass,

    /// <summary>A policy record exists and no Authenticated Identifier is aligned (RFC 9989 §5.3.5).</summary>
    Fail,

    /// <summary>A DNS query needed for the evaluation did not complete (RFC 9989 §5.3.6).</summary>
    TempError,

    /// <summary>The evaluation cannot complete and retrying will not help: no usable RFC5322.From (RFC 9989 §5.3.1, §11.5).</summary>
    PermError,
}
