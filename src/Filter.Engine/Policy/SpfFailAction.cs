namespace Filter.Engine.Policy;

/// <summary>What an SPF <c>fail</c> does on its own, before DMARC is consulted.</summary>
public enum SpfFailAction
{
    /// <summary>
    /// Nothing on its own (default): DMARC decides, because SPF alone breaks forwarding
    /// (RFC 7208 §8.4 leaves rejection to local policy; RFC 9989 builds on SPF only through alignment).
    /// </summary>
    None,

    /// <summary>Reject at end of DATA with the SPF reject reply (RFC 7208 §8.4).</summary>
    Reject,
}
