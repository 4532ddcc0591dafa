namespace Filter.Engine.Dkim;

/// <summary>
/// What <see cref="DkimSignatureParser"/> made of one DKIM-Signature value: the signature, or a
/// permerror reason. The tag values for the result's header.* properties are filled as far as they
/// could be read, so that even a broken signature is reported with its d=, s=, a= and b=.
/// </summary>
internal sealed record DkimSignatureParseResult(
    DkimSignature? Signature,
    string? Error,
    string Domain,
    string? Identity,
    string Selector,
    string Algorithm,
    string? SignatureBase64);
