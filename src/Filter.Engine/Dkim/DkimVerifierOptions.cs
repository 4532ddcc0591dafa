namespace Filter.Engine.Dkim;

/// <summary>
/// Limits and policy of the DKIM verifier. The defaults follow RFC 8301 and what large receivers do;
/// every limit is explicit so that a message cannot make the verifier work without bound.
/// </summary>
public sealed class DkimVerifierOptions
{
    /// <summary>RSA keys shorter than this give <see cref="DkimResultCode.Policy"/> (RFC 8301 §3.2: under 1024 is never valid).</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;

    /// <summary>RSA keys longer than this give <see cref="DkimResultCode.Policy"/>: they only cost CPU (RFC 8301 §3.2 asks for up to 4096).</summary>
    public int MaximumRsaKeyBits { get; init; } = 8192;

    /// <summary>
    /// How many well-formed signatures are verified per message (RFC 6376 §6.1: verifiers MAY limit
    /// them). Later ones get <see cref="DkimResultCode.Policy"/> without any DNS or hashing work.
    /// </summary>
    public int MaxSignatures { get; init; } = 5;

    /// <summary>How many distinct key records are looked up per message.</summary>
    public int MaxKeyLookups { get; init; } = 5;

    /// <summary>How far t= may lie in the future, and x= in the past, before the signature fails (RFC 6376 §3.5).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How many imported public keys one verifier keeps (0: none). Importing an RSA key costs more than verifying with it.</summary>
    public int KeyCacheSize { get; init; } = 1024;

    /// <summary>Size of the body chunks the whole-message convenience feeds (the milter sends up to 64 KiB).</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    public static DkimVerifierOptions Default { get; } = new();
}
