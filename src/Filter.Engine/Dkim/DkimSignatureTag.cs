namespace Filter.Engine.Dkim;

/// <summary>The tags RFC 6376 §3.5 defines for a DKIM-Signature (any other tag is read and ignored).</summary>
internal enum DkimSignatureTag
{
    /// <summary>v=</summary>
    Version,

    /// <summary>a=</summary>
    Algorithm,

    /// <summary>b=</summary>
    Signature,

    /// <summary>bh=</summary>
    BodyHash,

    /// <summary>c=</summary>
    Canonicalization,

    /// <summary>d=</summary>
    Domain,

    /// <summary>h=</summary>
    SignedHeaders,

    /// <summary>i=</summary>
    Identity,

    /// <summary>l=</summary>
    BodyLength,

    /// <summary>q=</summary>
    QueryMethods,

    /// <summary>s=</summary>
    Selector,

    /// <summary>t=</summary>
    Timestamp,

    /// <summary>x=</summary>
    Expiration,

    /// <summary>z=</summary>
    CopiedHeaders,
}
