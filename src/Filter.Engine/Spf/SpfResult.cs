using System.Net;

namespace Filter.Engine.Spf;

/// <summary>
/// The outcome of one SPF check_host() evaluation (RFC 7208 §4). DMARC reads
/// <see cref="Code"/>, <see cref="Identity"/> and <see cref="Domain"/>; the Authentication-Results
/// writer reads <see cref="ResultWord"/>, <see cref="PropertyName"/>, <see cref="PropertyValue"/>
/// and <see cref="Reason"/>; <see cref="SpfReceivedFieldFormatter"/> writes Received-SPF from it.
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
    string Reason)
{
    /// <summary>The client address that was checked (the &lt;ip&gt; of §4.1), IPv4-mapped addresses as IPv4.</summary>
    public IPAddress? ClientAddress { get; init; }

    /// <summary>The HELO/EHLO name the client gave, as given.</summary>
    public string? HeloName { get; init; }

    /// <summary>The MAIL FROM reverse-path as given ("" for the null sender), or null for a HELO check.</summary>
    public string? EnvelopeFrom { get; init; }

    /// <summary>The RFC 8601 §2.7.2 result word: none, neutral, pass, fail, softfail, temperror, permerror.</summary>
    public string ResultWord => Word(Code);

    /// <summary>The Authentication-Results property of the identity: <c>smtp.mailfrom</c> or <c>smtp.helo</c> (RFC 8601 §2.7.2).</summary>
    public string PropertyName => Identity == SpfIdentity.Helo ? "smtp.helo" : "smtp.mailfrom";

    /// <summary>The property's value: the checked sender address (postmaster@HELO for a null sender), or the HELO name.</summary>
    public string PropertyValue => Identity == SpfIdentity.Helo ? Domain : Sender;

    /// <summary>The result word for a code (RFC 7208 §2.6, RFC 8601 §2.7.2).</summary>
    public static string Word(SpfResultCode code) => code switch
    {
        SpfResultCode.None => "none",
        SpfResultCode.Neutral => "neutral",
        SpfResultCode.Pass => "pass",
        SpfResultCode.Fail => "fail",
        SpfResultCode.SoftFail => "softfail",
        SpfResultCode.TempError => "temperror",
        SpfResultCode.PermError => "permerror",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not an SPF result"),
    };
}
