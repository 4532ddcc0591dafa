namespace Filter.Engine.Policy;

/// <summary>
/// What each authentication outcome does to the message. Every verdict also writes our
/// Authentication-Results header; these settings only choose the SMTP-level action.
/// </summary>
public sealed record OutcomeActions
{
    /// <summary>DMARC fails and the policy is p=reject. Default: reject, as the domain owner asks.</summary>
    public DmarcRejectAction DmarcReject { get; init; } = DmarcRejectAction.Reject;

    /// <summary>
    /// DMARC fails and the policy is p=quarantine. Default: quarantine, which is what the milter
    /// protocol's QUARANTINE means: Postfix and Sendmail put the message in their hold queue for an
    /// admin to release. Sites that deliver to a Junk folder choose <see cref="DmarcQuarantineAction.Tag"/>.
    /// </summary>
    public DmarcQuarantineAction DmarcQuarantine { get; init; } = DmarcQuarantineAction.Quarantine;

    /// <summary>A temporary DNS error leaves the DMARC outcome undetermined. Default: tempfail, so the sender retries.</summary>
    public TemporaryFailureAction Temperror { get; init; } = TemporaryFailureAction.Tempfail;

    /// <summary>A bug inside authfilter while judging one message. Default: tempfail, so no mail is lost and none slips through unjudged.</summary>
    public TemporaryFailureAction EngineError { get; init; } = TemporaryFailureAction.Tempfail;

    /// <summary>
    /// The header field added when an action is "tag" or "accept-and-tag"; its value names the
    /// disposition and domain (e.g. <c>quarantine; dmarc=fail header.from=example.com</c>) so that
    /// delivery rules (Sieve, procmail) can file the message. Any copy of this field that arrives
    /// with the message must be removed like a forged Authentication-Results header.
    /// Default <c>X-AuthFilter-Disposition</c>.
    /// </summary>
    public string TagHeader { get; init; } = "X-AuthFilter-Disposition";
}
