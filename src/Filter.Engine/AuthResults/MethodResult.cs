namespace Filter.Engine.AuthResults;

/// <summary>
/// One resinfo of an Authentication-Results header (RFC 8601 §2.2): <c>method[/version]=result</c>,
/// an optional <c>reason=</c> (§2.2 reasonspec) and the properties that were evaluated (§2.3).
/// </summary>
/// <param name="Method">The method; unknown methods from other servers are representable.</param>
/// <param name="Result">The result word.</param>
internal sealed record MethodResult(AuthMethod Method, AuthResultWord Result)
{
    /// <summary>The method-version (RFC 8601 §2.2); null when absent (which means 1).</summary>
    public int? MethodVersion { get; init; }

    /// <summary>The reasonspec value, unquoted; null when absent.</summary>
    public string? Reason { get; init; }

    /// <summary>The properties in the order written.</summary>
    public IReadOnlyList<AuthProperty> Properties { get; init; } = [];

    /// <summary>
    /// Comments belonging to the method rather than a property: those after the result word
    /// ("(p=REJECT sp=NONE dis=NONE)"), around the method name or after the reason. Kept without
    /// parentheses; the formatter writes them right after the result word.
    /// </summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>The value of the first property with this ptype and name, or null.</summary>
    public string? GetProperty(PropertyType type, string name)
    {
        foreach (var property in Properties)
        {
            if (property.Type == type && string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public bool Equals(MethodResult? other) =>
        other is not null
        && Method == other.Method
        && Result == other.Result
        && MethodVersion == other.MethodVersion
        && string.Equals(Reason, other.Reason, StringComparison.Ordinal)
        && Properties.SequenceEqual(other.Properties)
        && Comments.SequenceEqual(other.Comments, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Method, Result, MethodVersion, Reason, Properties.Count);

    public override string ToString() => $"{Method}={Result} ({Properties.Count} properties)";
}
