using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Spf;

namespace Filter.Engine.Pipeline;

/// <summary>
/// Everything one message's authentication produced: each method's result, the verdict, and the
/// header edits to apply before the verdict (delete forged Authentication-Results, insert ours on top).
/// </summary>
/// <param name="Spf">The MAIL FROM check (postmaster@HELO for a null sender), or null when no MAIL FROM was fed or an engine error stopped the check.</param>
/// <param name="SpfHelo">The HELO check when the options ask for one, else null.</param>
/// <param name="Dkim">One result per DKIM-Signature, top first, or one <see cref="DkimResultCode.None"/>; empty after an engine error.</param>
/// <param name="Dmarc">The DMARC result, or null after an engine error.</param>
/// <param name="Verdict">What the policy decided.</param>
/// <param name="Deletions">Header fields to delete, highest occurrence first per name.</param>
/// <param name="Insertions">Header fields to insert; ours is first, at index 0.</param>
/// <param name="AuthenticationResults">The value of the Authentication-Results header we insert.</param>
/// <param name="ElapsedMilliseconds">Time from the first feed call to the outcome.</param>
public sealed record AuthenticationOutcome(
    SpfResult? Spf,
    SpfResult? SpfHelo,
    IReadOnlyList<DkimSignatureResult> Dkim,
    DmarcResult? Dmarc,
    AuthenticationVerdict Verdict,
    IReadOnlyList<HeaderDeletion> Deletions,
    IReadOnlyList<HeaderInsertion> Insertions,
    string AuthenticationResults,
    long ElapsedMilliseconds)
{
    /// <summary>True when a bug inside the engine decided the verdict (the engine-error action).</summary>
    public bool IsEngineError { get; init; }

    /// <summary>The queue id the MTA gave, for the log, or null.</summary>
    public string? QueueId { get; init; }

    /// <summary>The client, for the log, or null.</summary>
    public ClientConnection? Client { get; init; }
}
