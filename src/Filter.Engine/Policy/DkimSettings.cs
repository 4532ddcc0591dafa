namespace Filter.Engine.Policy;

/// <summary>DKIM verification settings. The number of signatures verified is in <see cref="PolicyLimits.DkimSignatures"/>.</summary>
public sealed record DkimSettings
{
    /// <summary>The smallest RSA key accepted; RFC 8301 §3.2 forbids treating keys under 1024 bits as valid. Default 1024.</summary>
    public int MinimumRsaBits { get; init; } = 1024;

    /// <summary>
    /// How far in the future a signature's t= may lie, and how long after x= it still counts,
    /// to forgive clock differences between signer and verifier (RFC 6376 §3.5 t= and x=). Default 5 minutes.
    /// </summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}
