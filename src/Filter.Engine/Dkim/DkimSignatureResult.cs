namespace Filter.Engine.Dkim;

/// <summary>
/// The outcome of verifying one DKIM-Signature (RFC 6376 §6). DMARC reads <see cref="Code"/> and
/// <see cref="Domain"/>; the Authentication-Results writer reads the header.* properties.
/// </summary>
/// <param name="Code">The RFC 8601 result word.</param>
/// <param name="Domain">d= (header.d), lower-cased; empty when the tag could not be read.</param>
/// <param name="Identifier">i= (header.i), or null when absent.</param>
/// <param name="Selector">s= (header.s); empty when the tag could not be read.</param>
/// <param name="Algorithm">a= (header.a), e.g. "rsa-sha256"; empty when the tag could not be read.</param>
/// <param name="SignaturePrefix">The shortest unique prefix of b=, at least 8 characters (RFC 6008, header.b).</param>
/// <param name="Reason">Why, for a human: "body hash did not verify", "key revoked"...</param>
public sealed record DkimSignatureResult(
    DkimResultCode Code,
    string Domain,
    string? Identifier,
    string Selector,
    string Algorithm,
    string? SignaturePrefix,
    string Reason)
{
    /// <summary>
    /// Canonical body bytes after the l= count, which the signature does not cover (RFC 6376 §8.2).
    /// Zero without l= or when the body was not read that far. Policy may treat a non-zero count as a fail.
    /// </summary>
    public long UnsignedBodyBytes { get; init; }

    /// <summary>l= of the signature, or null when it signs the whole body.</summary>
    public long? BodyLength { get; init; }

    /// <summary>Size of the public key in bits (RSA modulus, 256 for Ed25519), or null when no key was read.</summary>
    public int? KeyBits { get; init; }

    /// <summary>The key record has t=y: the signer says it is testing DKIM (RFC 6376 §3.6.1).</summary>
    public bool Testing { get; init; }

    /// <summary>The result for a message with no DKIM-Signature at all.</summary>
    public static DkimSignatureResult NoSignature { get; } =
        new(DkimResultCode.None, string.Empty, null, string.Empty, string.Empty, null, "message has no DKIM-Signature");
}
