namespace Filter.Engine.Pipeline;

/// <summary>Engine settings of the pipeline that are not policy (the policy is <see cref="Policy.FilterPolicy"/>).</summary>
public sealed record MessageAuthenticatorOptions
{
    /// <summary>
    /// Also check the HELO identity (RFC 7208 §2.3) and record it as <c>spf=… smtp.helo=</c>. Default false:
    /// DMARC uses only the MAIL FROM identity (RFC 9989 §4.4.2), so the HELO check costs DNS for a record only.
    /// The policy's <see cref="Policy.SpfSettings.CheckHelo"/> (<c>spf.check-helo</c>) turns it on as well.
    /// </summary>
    public bool CheckHelo { get; init; }

    /// <summary>Body chunk size used when a whole stored message is fed (the milter sends up to 64 KiB).</summary>
    public int FileChunkSize { get; init; } = 64 * 1024;

    /// <summary>Seed of the RFC 7489 pct sampler, so replays are reproducible.</summary>
    public int DmarcSamplerSeed { get; init; }

    /// <summary>
    /// Write the pipeline's summary line (EventId 1600) when the logger takes Information. Default true
    /// (check, replay). The daemon sets false: it writes its own line (EventId 1000) with what only the
    /// milter knows, and building a line nobody writes costs a string and its formatting per message.
    /// </summary>
    public bool WriteSummaryLine { get; init; } = true;
}
