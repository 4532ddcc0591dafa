namespace Filter.Engine.AuthResults;

/// <summary>
/// An authentication method name (the "method" of RFC 8601 §2.2), always lower-case. The IANA
/// "Email Authentication Methods" registry names are static instances; a name another server
/// invented (Microsoft's "compauth") is representable too, with <see cref="IsRegistered"/> false.
/// </summary>
internal sealed class AuthMethod : IEquatable<AuthMethod>
{
    public static readonly AuthMethod Arc = new("arc", true);          // RFC 8617 §6
    public static readonly AuthMethod Auth = new("auth", true);        // RFC 8601 §2.7.4
    public static readonly AuthMethod Dkim = new("dkim", true);        // RFC 8601 §2.7.1
    public static readonly AuthMethod DkimAdsp = new("dkim-adsp", true); // RFC 5617, deprecated
    public static readonly AuthMethod DkimAtps = new("dkim-atps", true); // RFC 6541
    public static readonly AuthMethod Dmarc = new("dmarc", true);      // RFC 7489 §11.2, RFC 9989
    public static readonly AuthMethod Dnswl = new("dnswl", true);      // RFC 8904
    public static readonly AuthMethod DomainKeys = new("domainkeys", true); // RFC 4870, deprecated
    public static readonly AuthMethod IpRev = new("iprev", true);      // RFC 8601 §2.7.3
    public static readonly AuthMethod Rrvs = new("rrvs", true);        // RFC 7293
    public static readonly AuthMethod SenderId = new("sender-id", true); // RFC 4406, deprecated
    public static readonly AuthMethod Smime = new("smime", true);      // RFC 7281
    public static readonly AuthMethod Spf = new("spf", true);          // RFC 8601 §2.7.2
    public static readonly AuthMethod Vbr = new("vbr", true);          // RFC 6212

    private static readonly KeywordTable<AuthMethod> s_table = new(
        [.. Registered().Select(m => new KeyValuePair<string, AuthMethod>(m.Name, m))],
        name => new AuthMethod(name, false));

    private AuthMethod(string name, bool registered)
    {
        Name = name;
        IsRegistered = registered;
    }

    /// <summary>The lower-case method name.</summary>
    public string Name { get; }

    /// <summary>True for names in the IANA "Email Authentication Methods" registry.</summary>
    public bool IsRegistered { get; }

    /// <summary>Every registered method.</summary>
    public static IEnumerable<AuthMethod> Registered() =>
        [Arc, Auth, Dkim, DkimAdsp, DkimAtps, Dmarc, Dnswl, DomainKeys, IpRev, Rrvs, SenderId, Smime, Spf, Vbr];

    /// <summary>Accepts any RFC 5321 Keyword; false for anything else.</summary>
    public static bool TryCreate(ReadOnlySpan<char> text, out AuthMethod method) => s_table.TryGet(text, out method);

    public bool Equals(AuthMethod? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as AuthMethod);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    public static bool operator ==(AuthMethod? left, AuthMethod? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(AuthMethod? left, AuthMethod? right) => !(left == right);
}
