namespace Filter.Engine.Policy;

/// <summary>
/// A domain to match: either exactly <see cref="Domain"/>, or (for <c>*.example.com</c>) any
/// subdomain of it at any depth but not the domain itself. Stored in lower case without a
/// trailing dot; matching ignores ASCII case and a trailing dot on the candidate.
/// </summary>
/// <param name="Domain">The domain in A-label form, lower case, no trailing dot.</param>
/// <param name="SubdomainsOnly">True for a <c>*.</c> pattern.</param>
public sealed record DomainPattern(string Domain, bool SubdomainsOnly)
{
    /// <summary>Whether <paramref name="candidate"/> is matched.</summary>
    public bool Matches(string candidate)
    {
        var length = candidate.Length;
        if (length > 0 && candidate[length - 1] == '.')
        {
            length--;
        }

        if (!SubdomainsOnly)
        {
            return length == Domain.Length
                && string.Compare(candidate, 0, Domain, 0, length, StringComparison.OrdinalIgnoreCase) == 0;
        }

        // "*.example.com" needs at least one label and a dot before "example.com".
        var start = length - Domain.Length;
        return start >= 2
            && candidate[start - 1] == '.'
            && string.Compare(candidate, start, Domain, 0, Domain.Length, StringComparison.OrdinalIgnoreCase) == 0;
    }

    /// <summary>The pattern as written: <c>example.com</c> or <c>*.example.com</c>.</summary>
    public override string ToString() => SubdomainsOnly ? "*." + Domain : Domain;
}
