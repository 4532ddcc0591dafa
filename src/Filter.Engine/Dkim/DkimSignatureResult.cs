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
    string Reason);
