namespace Filter.Engine.Dkim;

/// <summary>The k= key types of a key record (RFC 6376 §3.6.1, RFC 8463 §4.2).</summary>
internal enum DkimKeyType
{
    Rsa,
    Ed25519,
}
