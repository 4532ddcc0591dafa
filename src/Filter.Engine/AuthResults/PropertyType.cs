namespace Filter.Engine.AuthResults;

/// <summary>
/// A property type (the "ptype" of RFC 8601 §2.2), always lower-case. The IANA "Email
/// Authentication Property Types" registry (created by RFC 7410) holds smtp, header, body and
/// policy, and RFC 8904 added dns; other ptypes are representable with <see cref="IsRegistered"/> false.
/// </summary>
internal sealed class PropertyType : IEquatable<PropertyType>
{
    /// <summary>Data from the SMTP session (RFC 8601 §2.3): smtp.mailfrom, smtp.helo, smtp.auth.</summary>
    public static readonly PropertyType Smtp = new("smtp", true);

    /// <summary>A header field of the message: header.d, header.from.</summary>
    public static readonly PropertyType Header = new("header", true);

    /// <summary>The message body (RFC 7281 S/MIME).</summary>
    public static readonly PropertyType Body = new("body", true);

    /// <summary>A local policy that produced the result: policy.dmarc, policy.iprev.</summary>
    public static readonly PropertyType Policy = new("policy", true);

    /// <summary>DNS data (RFC 8904 dnswl).</summary>
    public static readonly PropertyType Dns = new("dns", true);

    private static readonly KeywordTable<PropertyType> s_table = new(
        [.. Registered().Select(t => new KeyValuePair<string, PropertyType>(t.Name, t))],
        name => new PropertyType(name, false));

    private PropertyType(string name, bool registered)
    {
        Name = name;
        IsRegistered = registered;
    }

    /// <summary>The lower-case ptype.</summary>
    public string Name { get; }

    /// <summary>True for the registered property types.</summary>
    public bool IsRegistered { get; }

    /// <summary>Every registered ptype.</summary>
    public static IEnumerable<PropertyType> Registered() => [Smtp, Header, Body, Policy, Dns];

    /// <summary>Accepts any RFC 5321 Keyword; false for anything else.</summary>
    public static bool TryCreate(ReadOnlySpan<char> text, out PropertyType type) => s_table.TryGet(text, out type);

    public bool Equals(PropertyType? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PropertyType);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    public static bool operator ==(PropertyType? left, PropertyType? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(PropertyType? left, PropertyType? right) => !(left == right);
}
