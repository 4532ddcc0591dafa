namespace Filter.Engine.Dkim;

/// <summary>DKIM results as RFC 8601 §2.7.1 names them.</summary>
public enum DkimResultCode
{
    /// <summary>The message has no signature.</summary>
    None,
    Pass,
    Fail,

    /// <summary>The signature could not be processed far enough to verify (RFC 8601 §2.7.1).</summary>
    Neutral,

    /// <summary>Verified, but a local policy forbids accepting it: rsa-sha1, a short key (RFC 8301).</summary>
    Policy,
    TempError,
    PermError,
}
