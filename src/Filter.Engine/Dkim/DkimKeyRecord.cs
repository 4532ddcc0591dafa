namespace Filter.Engine.Dkim;

/// <summary>
/// A DKIM key record as published at selector._domainkey.domain (RFC 6376 §3.6.1). The key bytes are
/// those of p=; an empty p= means the key was revoked (the parser reports that as an error).
/// </summary>
internal sealed class DkimKeyRecord
{
    public required DkimKeyType KeyType { get; init; }

    /// <summary>h= (lower-cased), or null when absent: then every hash is acceptable.</summary>
    public required string[]? AcceptableHashes { get; init; }

    /// <summary>t=y: the domain is testing DKIM (§3.6.1); reported, not acted on.</summary>
    public required bool Testing { get; init; }

    /// <summary>t=s: i= must be exactly d=, not a subdomain (§3.6.1).</summary>
    public required bool StrictIdentity { get; init; }

    public required byte[] PublicKey { get; init; }
}
