namespace Filter.Conformance.Tests.Spf;

/// <summary>
/// Where a suite's expectation is not what this checker does, and why. Nothing is skipped: each
/// listed case still runs and asserts the behaviour stated here. The README's conformance section
/// repeats this table.
/// </summary>
public static class SpfSuiteDeviations
{
    private const string LowerCaseNibbles =
        "%{i} of an IPv6 address is written in lower-case nibbles, as in RFC 7208 §7.4's own example " +
        "(and RFC 3596 §2.5); the suite expects upper case. DNS names compare case-insensitively, so " +
        "only the explanation text differs, and it is compared ignoring case.";

    /// <summary>
    /// Cases (suite/id) whose explanation is compared without regard to case, with the reason.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> CaseInsensitiveExplanation = new Dictionary<string, string>
    {
        ["rfc7208-tests/v-macro-ip6"] = LowerCaseNibbles,
        ["rfc4408-tests/v-macro-ip6"] = LowerCaseNibbles,
    };

    /// <summary>
    /// RFC 4408 suite cases where RFC 7208 changed the rule: the case asserts the RFC 7208 results
    /// given here instead of the RFC 4408 ones, with the reason.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string[] Results, string Reason)> Rfc4408 =
        new Dictionary<string, (string[] Results, string Reason)>
        {
            ["txtonly"] = (["fail"], "RFC 7208 §3.1, §4.4: SPF records are TXT records only; a TXT record is used, so no 'none'."),
            ["spfonly"] = (["none"], "RFC 7208 §3.1: type SPF (99) is never queried, so a domain with only a type-99 record has no SPF record."),
            ["spftimeout"] = (["fail"], "RFC 7208 §3.1: type SPF is not queried, so its timeout cannot cause temperror; the TXT record decides."),
            ["txttimeout"] = (["temperror"], "RFC 7208 §4.4: a timeout on the TXT lookup is temperror; the type-99 record is never consulted."),
            ["nospftxttimeout"] = (["temperror"], "RFC 7208 §4.4: a timeout on the TXT lookup is temperror, not none."),
            ["spfoverride"] = (["fail"], "RFC 7208 §3.1: type-99 records are ignored; the TXT record (-all) is the policy."),
            ["multitxt1"] = (["permerror"], "RFC 7208 §4.5: two 'v=spf1' TXT records are a permerror; the type-99 record RFC 4408 preferred is ignored."),
            ["multispf2"] = (["pass"], "RFC 7208 §3.1: the duplicate type-99 records are ignored; the single TXT record gives pass."),
            ["exists-dnserr"] = (["temperror"], "RFC 7208 §5, §5.7: a DNS error (timeout) during a mechanism's lookup ends in temperror, not a non-match."),
            ["cidr6-0-ip4"] = (["neutral"], "RFC 7208 §5.6: an IPv4 client never matches an ip6 mechanism, even ::/0."),
            ["cidr6-ip4"] = (["neutral"], "RFC 7208 §5.6: an IPv4-mapped IPv6 client is an IPv4 address and never matches ip6."),
            ["mx-limit"] = (["permerror"], "RFC 7208 §4.6.4: more than 10 MX names is a permerror (RFC 4408 left it open)."),
        };
}
