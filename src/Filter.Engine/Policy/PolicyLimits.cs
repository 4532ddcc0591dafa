namespace Filter.Engine.Policy;

/// <summary>
/// Every resource limit, explicit and configurable (DESIGN.md house rules). The defaults follow the
/// RFCs where they fix a number and otherwise leave generous room for legitimate mail.
/// </summary>
public sealed record PolicyLimits
{
    /// <summary>Total bytes of all header fields of one message. Default 1 MiB.</summary>
    public int HeaderBytes { get; init; } = 1_048_576;

    /// <summary>Number of header fields of one message. Default 1000.</summary>
    public int HeaderCount { get; init; } = 1000;

    /// <summary>Largest milter packet payload accepted; the MTAs send at most 65535-byte chunks but a folded header can be longer. Default 1 MiB.</summary>
    public int PacketSize { get; init; } = 1_048_576;

    /// <summary>DKIM signatures verified per message; further ones are reported as not checked. Default 5.</summary>
    public int DkimSignatures { get; init; } = 5;

    /// <summary>SPF terms that cause DNS lookups (RFC 7208 §4.6.4: at most 10). Default 10.</summary>
    public int SpfLookups { get; init; } = 10;

    /// <summary>SPF lookups that return no answer (RFC 7208 §4.6.4 suggests 2). Default 2.</summary>
    public int SpfVoidLookups { get; init; } = 2;

    /// <summary>Names queried by the DMARC DNS Tree Walk (RFC 9989 §4.10: at most 8). Default 8.</summary>
    public int DmarcTreeWalk { get; init; } = 8;

    /// <summary>Concurrent milter connections; further ones wait to be accepted. Default 512.</summary>
    public int Sessions { get; init; } = 512;
}
