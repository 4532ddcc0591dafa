namespace Filter.Engine.AuthResults;

/// <summary>
/// The value of one Authentication-Results header field (RFC 8601 §2.2): the authentication
/// service identifier (§2.5), an optional version, and either method results or "none"
/// (an empty <see cref="Results"/> list, §2.2 no-result).
/// </summary>
/// <param name="AuthServId">The authserv-id as written (unquoted). Empty only when a header that
/// omits it (Microsoft's style) was parsed leniently; the formatter refuses an empty one.</param>
internal sealed record AuthenticationResults(string AuthServId)
{
    /// <summary>The authres-version; null when absent (which means 1, RFC 8601 §2.2).</summary>
    public int? Version { get; init; }

    /// <summary>The method results in order; empty means "none".</summary>
    public IReadOnlyList<MethodResult> Results { get; init; } = [];

    /// <summary>Comments next to the authserv-id and version (RFC 8601 Appendix B.7), unparenthesised.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>True for the "none" form (RFC 8601 §2.2 no-result).</summary>
    public bool IsNone => Results.Count == 0;

    /// <summary>The first result for this method, or null.</summary>
    public MethodResult? Find(AuthMethod method)
    {
        foreach (var result in Results)
        {
            if (result.Method == method)
            {
                return result;
            }
        }

        return null;
    }

    public bool Equals(AuthenticationResults? other) =>
        other is not null
        && string.Equals(AuthServId, other.AuthServId, StringComparison.Ordinal)
        && Version == other.Version
        && Results.SequenceEqual(other.Results)
        && Comments.SequenceEqual(other.Comments, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(AuthServId, Version, Results.Count);

    public override string ToString() => $"{AuthServId}; {Results.Count} results";
}
