namespace Filter.Engine.AuthResults;

/// <summary>
/// A result word (the "result" of RFC 8601 §2.2), always lower-case. The IANA "Email
/// Authentication Result Names" registry words are static instances; a word another server
/// invented (Microsoft's "bestguesspass", "softpass") is representable too, with
/// <see cref="IsRegistered"/> false. Which word a given method may use is
/// <see cref="AuthResultsRegistry"/>'s business.
/// </summary>
internal sealed class AuthResultWord : IEquatable<AuthResultWord>
{
    public static readonly AuthResultWord None = new("none", true);
    public static readonly AuthResultWord Pass = new("pass", true);
    public static readonly AuthResultWord Fail = new("fail", true);
    public static readonly AuthResultWord SoftFail = new("softfail", true);
    public static readonly AuthResultWord Neutral = new("neutral", true);
    public static readonly AuthResultWord Policy = new("policy", true);
    public static readonly AuthResultWord TempError = new("temperror", true);
    public static readonly AuthResultWord PermError = new("permerror", true);

    /// <summary>RFC 5451 SPF and Sender ID word, deprecated by RFC 6577 in favour of "fail".</summary>
    public static readonly AuthResultWord HardFail = new("hardfail", true);

    /// <summary>dkim-adsp (RFC 5617) and rrvs (RFC 7293).</summary>
    public static readonly AuthResultWord Unknown = new("unknown", true);

    /// <summary>dkim-adsp (RFC 5617).</summary>
    public static readonly AuthResultWord Discard = new("discard", true);

    /// <summary>dkim-adsp (RFC 5617).</summary>
    public static readonly AuthResultWord NxDomain = new("nxdomain", true);

    private static readonly KeywordTable<AuthResultWord> s_table = new(
        [.. Registered().Select(w => new KeyValuePair<string, AuthResultWord>(w.Name, w))],
        name => new AuthResultWord(name, false));

    private AuthResultWord(string name, bool registered)
    {
        Name = name;
        IsRegistered = registered;
    }

    /// <summary>The lower-case word.</summary>
    public string Name { get; }

    /// <summary>True for words in the IANA "Email Authentication Result Names" registry.</summary>
    public bool IsRegistered { get; }

    /// <summary>Every registered word.</summary>
    public static IEnumerable<AuthResultWord> Registered() =>
        [None, Pass, Fail, SoftFail, Neutral, Policy, TempError, PermError, HardFail, Unknown, Discard, NxDomain];

    /// <summary>Accepts any RFC 5321 Keyword; false for anything else.</summary>
    public static bool TryCreate(ReadOnlySpan<char> text, out AuthResultWord word) => s_table.TryGet(text, out word);

    public bool Equals(AuthResultWord? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as AuthResultWord);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    public static bool operator ==(AuthResultWord? left, AuthResultWord? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(AuthResultWord? left, AuthResultWord? right) => !(left == right);
}
