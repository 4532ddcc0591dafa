namespace Filter.Engine.AuthResults;

/// <summary>
/// The three DMARC policy words as the Authentication-Results header carries them: the value of
/// policy.dmarc (IANA Email Authentication Methods, RFC 9989 §10 / RFC 7489 §11.2: "none",
/// "quarantine" or "reject") and the disposition comment.
/// </summary>
internal enum DmarcPolicyWord
{
    None,
    Quarantine,
    Reject,
}
