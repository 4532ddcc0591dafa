namespace Filter.Engine.Dkim;

/// <summary>The a= signing algorithms this verifier knows (RFC 6376 §3.3, RFC 8463 §3).</summary>
internal enum DkimAlgorithm
{
    /// <summary>Known so that it can be refused by name (RFC 8301 §3.1).</summary>
    RsaSha1,
    RsaSha256,
    Ed25519Sha256,
}
