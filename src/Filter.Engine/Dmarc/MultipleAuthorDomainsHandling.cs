namespace Filter.Engine.Dmarc;

/// <summary>
/// What to do when the RFC5322.From field does not give exactly one Author Domain
/// (RFC 9989 §5.3.1, §11.5): several From fields or several domains in one.
/// </summary>
public enum MultipleAuthorDomainsHandling
{
    /// <summary>Result permerror with <see cref="DmarcOptions.UnusableAuthorDisposition"/> (default).</summary>
    Reject,

    /// <summary>
    /// Evaluate every Author Domain (at most <see cref="DmarcOptions.MaxAuthorDomains"/>) and keep the
    /// strictest outcome (RFC 9989 §11.5, after RFC 7489): pass only if every domain passes.
    /// </summary>
    EvaluateEach,
}
