namespace Filter.Engine.Message;

/// <summary>The Author Domain(s) of a message, taken from its From field(s) by <see cref="AuthorDomainExtractor"/>.</summary>
/// <param name="Status">Whether exactly one Author Domain was found.</param>
/// <param name="Domains">The distinct domains, as lower-case A-labels, in order of appearance; one for
/// <see cref="AuthorDomainStatus.Single"/>, several for <see cref="AuthorDomainStatus.Multiple"/>, none otherwise.</param>
/// <param name="FromFieldCount">How many From fields the message had.</param>
/// <param name="MailboxCount">How many mailboxes they held in all.</param>
/// <param name="Reason">Why, for a human: "2 From fields", "group syntax in From"...</param>
public sealed record AuthorDomainResult(
    AuthorDomainStatus Status,
    IReadOnlyList<string> Domains,
    int FromFieldCount,
    int MailboxCount,
    string Reason)
{
    /// <summary>The one Author Domain for <see cref="AuthorDomainStatus.Single"/>, else null.</summary>
    public string? Domain => Status == AuthorDomainStatus.Single ? Domains[0] : null;
}
