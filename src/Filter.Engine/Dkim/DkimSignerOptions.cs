namespace Filter.Engine.Dkim;

/// <summary>What <see cref="DkimSigner"/> puts in the signature (RFC 6376 §3.5).</summary>
public sealed class DkimSignerOptions
{
    /// <summary>d=.</summary>
    public required string Domain { get; init; }

    /// <summary>s=.</summary>
    public required string Selector { get; init; }

    public required DkimSigningKey Key { get; init; }

    /// <summary>Names of the fields to sign; From is added when missing (RFC 6376 §5.4).</summary>
    public IReadOnlyList<string> SignedHeaders { get; init; } =
        ["From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "In-Reply-To", "References"];

    public DkimCanonicalization HeaderCanonicalization { get; init; } = DkimCanonicalization.Relaxed;

    public DkimCanonicalization BodyCanonicalization { get; init; } = DkimCanonicalization.Relaxed;

    /// <summary>
    /// List each name once more than it occurs, so that a field added later breaks the signature
    /// (RFC 6376 §8.15, "over-signing"). Names that do not occur are then signed as absent.
    /// </summary>
    public bool OverSign { get; init; }

    /// <summary>Write l= with the canonical body length (RFC 6376 §3.5; risky, §8.2).</summary>
    public bool IncludeBodyLength { get; init; }

    /// <summary>i=, or null to leave it out.</summary>
    public string? Identity { get; init; }

    /// <summary>t=, or null to leave it out.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>x=, or null to leave it out.</summary>
    public DateTimeOffset? Expiration { get; init; }
}
