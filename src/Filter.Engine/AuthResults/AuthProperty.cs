namespace Filter.Engine.AuthResults;

/// <summary>
/// One <c>ptype.property=pvalue</c> of a method result (RFC 8601 §2.2 propspec, §2.3), such as
/// <c>header.d=example.com</c> or <c>smtp.mailfrom=user@example.com</c>.
/// </summary>
/// <remarks>
/// <see cref="Type"/> is null only for a bare <c>name=value</c> that some servers write where a
/// propspec belongs (Microsoft's <c>action=none</c> after dmarc). RFC 8601 has no such thing; the
/// parser keeps it so that nothing is lost and flags <see cref="AuthResultsDeviations.UnqualifiedProperty"/>.
/// Our builders never make one.
/// </remarks>
/// <param name="Type">The ptype, or null for a bare parameter (see remarks).</param>
/// <param name="Name">The property, a lower-case RFC 5321 Keyword ("d", "mailfrom").</param>
/// <param name="Value">The pvalue, unquoted: quoted-pairs decoded, or an address kept as written.</param>
internal sealed record AuthProperty(PropertyType? Type, string Name, string Value)
{
    /// <summary>Comments written after the value, without their parentheses.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Builds a registered-ptype property; <paramref name="name"/> must be a Keyword.</summary>
    public static AuthProperty Create(PropertyType type, string name, string value)
    {
        if (!AuthResultsSyntax.IsKeyword(name))
        {
            throw new ArgumentException($"'{name}' is not an RFC 5321 Keyword", nameof(name));
        }

        return new AuthProperty(type, AuthResultsSyntax.ToLowerAscii(name), value);
    }

    public bool Equals(AuthProperty? other) =>
        other is not null
        && Type == other.Type
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(Value, other.Value, StringComparison.Ordinal)
        && Comments.SequenceEqual(other.Comments, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Type, Name, Value, Comments.Count);

    public override string ToString() => Type is null ? $"{Name}={Value}" : $"{Type.Name}.{Name}={Value}";
}
