namespace Filter.Engine.Dmarc;

/// <summary>
/// The outcome of DMARC for one message (RFC 9989 §5.3), produced by <see cref="DmarcEvaluation.EvaluateAsync"/>.
/// The Authentication-Results writer formats it as
/// <c>dmarc=&lt;Code&gt; (p=&lt;Policy&gt; dis=&lt;Disposition&gt;) header.from=&lt;AuthorDomain&gt; policy.dmarc=&lt;EffectivePolicy&gt;</c>.
/// </summary>
/// <param name="Code">The RFC 8601 result word: pass, fail, none, temperror, permerror.</param>
/// <param name="AuthorDomain">header.from: the Author Domain evaluated (lower-case A-label). Null when the
/// From field gave no usable domain (permerror). With several From domains evaluated, the one that decided.</param>
/// <param name="Policy">The Domain Owner Assessment Policy that applies (p, sp or np, see
/// <see cref="PolicySource"/>); null when no record applies (none, permerror) or discovery itself failed
/// (temperror). A temperror from the alignment step or the np existence test keeps the policy found.</param>
/// <param name="PolicySource">Which tag supplied <see cref="Policy"/>; null with it.</param>
/// <param name="EffectivePolicy">policy.dmarc (RFC 9989 §9.1): the policy after the record's options, i.e. one
/// level down for t=y (RFC 9989 §4.7) or for a failing message not sampled by pct (RFC 7489 §6.6.4); null
/// with <see cref="Policy"/>.</param>
/// <param name="Disposition">What the Domain Owner asks for this message: <see cref="EffectivePolicy"/> for a
/// fail, <see cref="DmarcDisposition.None"/> for pass/none/temperror, and the configured
/// <see cref="DmarcOptions.UnusableAuthorDisposition"/> for a permerror. Local policy decides in the end.</param>
/// <param name="PolicyDomain">Where the applied record was found (RFC 9989 §3.2.5), or null.</param>
/// <param name="OrganizationalDomain">The Author Domain's Organizational Domain, or null when unknown.</param>
/// <param name="SpfAligned">The SPF-Authenticated Identifier (MAIL FROM, pass) is aligned (RFC 9989 §4.4.2).</param>
/// <param name="DkimAligned">At least one passing DKIM signature's d= is aligned (RFC 9989 §4.4.1).</param>
/// <param name="AlignedDkimDomain">The d= of the first aligned signature, or null.</param>
/// <param name="TestMode">The record said t=y (RFC 9989 §4.7).</param>
/// <param name="Mode">The specification followed.</param>
/// <param name="Reason">Why, for a human: "no aligned identifier", "DNS error at _dmarc.example.com: Timeout"...</param>
public sealed record DmarcResult(
    DmarcResultCode Code,
    string? AuthorDomain,
    DmarcPolicy? Policy,
    DmarcPolicySource? PolicySource,
    DmarcPolicy? EffectivePolicy,
    DmarcDisposition Disposition,
    string? PolicyDomain,
    string? OrganizationalDomain,
    bool SpfAligned,
    bool DkimAligned,
    string? AlignedDkimDomain,
    bool TestMode,
    DmarcMode Mode,
    string Reason);
