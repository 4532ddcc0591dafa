using System.Collections.Frozen;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Which result words and which ptype.property pairs each registered method defines, from the
/// IANA "Email Authentication Methods" and "Email Authentication Result Names" registries
/// (RFC 8601 §6, RFC 7410, RFC 6008, RFC 7281, RFC 7293, RFC 8617, RFC 8904, RFC 7489/RFC 9989).
/// Used to tell a reader whether a parsed result is one the registries know; unknown is not an
/// error (RFC 8601 §2.7: a reader ignores what it does not understand).
/// </summary>
internal static class AuthResultsRegistry
{
    private static readonly FrozenDictionary<AuthMethod, Entry> s_entries = new Dictionary<AuthMethod, Entry>
    {
        [AuthMethod.Arc] = new(["none", "pass", "fail"], ["smtp.remote-ip", "header.oldest-pass"]),
        [AuthMethod.Auth] = new(["none", "pass", "fail", "temperror", "permerror"], ["smtp.auth", "smtp.mailfrom"]),
        [AuthMethod.Dkim] = new(["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"],
            ["header.d", "header.i", "header.b", "header.a", "header.s"]),
        [AuthMethod.DkimAdsp] = new(["none", "pass", "unknown", "fail", "discard", "nxdomain", "temperror", "permerror"], ["header.from"]),
        [AuthMethod.DkimAtps] = new(["none", "pass", "fail", "temperror", "permerror"], ["header.from"]),
        [AuthMethod.Dmarc] = new(["none", "pass", "fail", "temperror", "permerror"], ["header.from", "policy.dmarc"]),
        [AuthMethod.Dnswl] = new(["pass", "none", "temperror", "permerror"], ["dns.zone", "policy.ip", "policy.txt", "dns.sec"]),
        [AuthMethod.DomainKeys] = new(["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"],
            ["header.d", "header.from", "header.sender"]),
        [AuthMethod.IpRev] = new(["pass", "fail", "temperror", "permerror"], ["policy.iprev"]),
        [AuthMethod.Rrvs] = new(["none", "unknown", "temperror", "pass", "fail", "permerror"], ["smtp.rcptto"]),
        [AuthMethod.SenderId] = new(["none", "pass", "fail", "softfail", "neutral", "temperror", "permerror", "policy", "hardfail"],
            ["header.from", "header.sender", "header.resent-from", "header.resent-sender"]),
        [AuthMethod.Smime] = new(["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"],
            ["body.smime-identifier", "body.smime-part", "body.smime-serial", "body.smime-issuer"]),
        [AuthMethod.Spf] = new(["none", "pass", "fail", "softfail", "policy", "neutral", "temperror", "permerror", "hardfail"],
            ["smtp.mailfrom", "smtp.helo"]),
        [AuthMethod.Vbr] = new(["none", "pass", "fail", "temperror", "permerror"], ["header.md", "header.mv"]),
    }.ToFrozenDictionary();

    /// <summary>True when the registry lists <paramref name="result"/> for <paramref name="method"/>.</summary>
    public static bool IsRegisteredResult(AuthMethod method, AuthResultWord result) =>
        s_entries.TryGetValue(method, out var entry) && entry.Results.Contains(result.Name);

    /// <summary>True when the registry lists <c>type.property</c> for <paramref name="method"/>.</summary>
    public static bool IsRegisteredProperty(AuthMethod method, PropertyType type, string property) =>
        s_entries.TryGetValue(method, out var entry) && entry.Properties.Contains(string.Concat(type.Name, ".", property));

    private sealed class Entry(string[] results, string[] properties)
    {
        public FrozenSet<string> Results { get; } = results.ToFrozenSet(StringComparer.Ordinal);

        public FrozenSet<string> Properties { get; } = properties.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
