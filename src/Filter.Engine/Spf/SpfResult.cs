namespace Filter.Engine.Spf;

/// <summary>
/// The outcome of one SPF check_host() evaluation (RFC 7208 §4). DMARC reads
/// <see cref="Code"/>, <see cref="Identity"/> and <see cref="Domain"/>; the Authentication-Results
/// writer reads all of it.
/// </summary>
/// <param name="Code">The RFC 7208 §2.6 result.</param>
/// <param name="Identity">Whether <see cref="Domain"/> came from MAIL FROM or HELO.</param>
/// <param name="Domain">The domain check_host() started from (the &lt;domain&gt; of §4.1).</param>
/// <param name="Sender">The &lt;sender&gt; of §4.1: the MAIL FROM address, or postmaster@HELO.</param>
/// <param name="MatchedMechanism">The directive that matched, as written in the record, or null.</param>
/// <param name="Explanation">The expanded exp= text for a fail (§6.2), or null.</param>
/// <param name="Reason">Why, for a human: "192.0.2.1 matched ip4:192.0.2.0/24", "record has two 'v=spf1'"...</param>
public sealed record SpfResult(
    SpfResultCode Code,
    SpfIdentity Identity,
    string Domain,
    string Sender,
    string? MatchedMechanism,
    string? Explanation,
    string Reason);
