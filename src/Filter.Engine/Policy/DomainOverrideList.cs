namespace Filter.Engine.Policy;

/// <summary>
/// The per-domain overrides, with the lookup the verdict rules use. Precedence is fixed so that a
/// reader of <c>filter.yaml</c> can predict it: an exact domain beats a <c>*.</c> pattern, a longer
/// <c>*.</c> pattern beats a shorter one, and the loader refuses two overrides with the same
/// identity and pattern, so there are no ties. When both a From-domain and an envelope-sender
/// override match, the From-domain one wins, because DMARC judges the From domain.
/// </summary>
public sealed class DomainOverrideList
{
    private readonly DomainOverride[] _items;

    /// <summary>Overrides in file order.</summary>
    public DomainOverrideList(IEnumerable<DomainOverride> items) => _items = [.. items];

    /// <summary>No overrides.</summary>
    public static DomainOverrideList Empty { get; } = new([]);

    /// <summary>The overrides in file order.</summary>
    public IReadOnlyList<DomainOverride> Items => _items;

    /// <summary>The override that applies to a message, or null. Either domain may be null (e.g. a null sender).</summary>
    public DomainOverride? Find(string? fromDomain, string? mailFromDomain) =>
        (fromDomain is null ? null : FindFor(OverrideIdentity.FromDomain, fromDomain))
        ?? (mailFromDomain is null ? null : FindFor(OverrideIdentity.MailFromDomain, mailFromDomain));

    /// <summary>The most specific override of <paramref name="identity"/> matching <paramref name="domain"/>, or null.</summary>
    public DomainOverride? FindFor(OverrideIdentity identity, string domain)
    {
        DomainOverride? best = null;
        foreach (var item in _items)
        {
            if (item.Identity != identity || !item.Pattern.Matches(domain))
            {
                continue;
            }

            if (!item.Pattern.SubdomainsOnly)
            {
                return item;
            }

            if (best is null || item.Pattern.Domain.Length > best.Pattern.Domain.Length)
            {
                best = item;
            }
        }

        return best;
    }
}
