namespace Filter.Engine.Dkim;

/// <summary>
/// A DKIM-Signature field that passed the syntax and semantic checks of RFC 6376 §3.5 and §6.1.1.
/// Everything the verifier needs later: hashing choices, key location, and where b= sits in the raw
/// value so that it can be emptied for the header hash (§3.7).
/// </summary>
internal sealed class DkimSignature
{
    public required DkimAlgorithm Algorithm { get; init; }

    public required string AlgorithmName { get; init; }

    public required DkimCanonicalization HeaderCanonicalization { get; init; }

    public required DkimCanonicalization BodyCanonicalization { get; init; }

    /// <summary>d= as written (compared case-insensitively).</summary>
    public required string Domain { get; init; }

    public required string Selector { get; init; }

    /// <summary>i= decoded from dkim-quoted-printable, or null when absent (then "@d" is implied, §3.5).</summary>
    public required string? Identity { get; init; }

    /// <summary>h=, in order, as written.</summary>
    public required string[] SignedHeaders { get; init; }

    /// <summary>l=, or null for the whole body.</summary>
    public required long? BodyLength { get; init; }

    public required long? Timestamp { get; init; }

    public required long? Expiration { get; init; }

    public required byte[] SignatureBytes { get; init; }

    public required byte[] BodyHash { get; init; }

    /// <summary>b= with whitespace removed: the text header.b prefixes (RFC 6008).</summary>
    public required string SignatureBase64 { get; init; }

    /// <summary>Offsets in the field value's bytes of the text between "b=" and the next ';' or the end.</summary>
    public required int SignatureValueStart { get; init; }

    public required int SignatureValueEnd { get; init; }

    public string IdentityDomain
    {
        get
        {
            if (Identity is null)
            {
                return Domain;
            }

            var at = Identity.LastIndexOf('@');
            return Identity[(at + 1)..];
        }
    }
}
