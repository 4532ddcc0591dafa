namespace Filter.Engine.Spf;

/// <summary>One parsed directive: qualifier and mechanism (RFC 7208 §4.6.2, §5).</summary>
internal sealed class SpfDirective
{
    public required string Text { get; init; }

    public required SpfQualifier Qualifier { get; init; }

    public required SpfMechanismKind Kind { get; init; }

    /// <summary>The target domain-spec (include, exists: always; a, mx, ptr: when written).</summary>
    public SpfMacroString? DomainSpec { get; init; }

    /// <summary>ip4-cidr-length for a, mx and ip4 (default 32).</summary>
    public int Cidr4 { get; init; } = 32;

    /// <summary>ip6-cidr-length for a, mx and ip6 (default 128).</summary>
    public int Cidr6 { get; init; } = 128;

    /// <summary>The ip4 network, big-endian as a number.</summary>
    public uint Network4 { get; init; }

    /// <summary>The ip6 network, big-endian as a number.</summary>
    public UInt128 Network6 { get; init; }

    /// <summary>True for the mechanisms that cost one of the 10 DNS terms (§4.6.4).</summary>
    public bool CountsAsLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}
