using Filter.Engine.Dmarc;
using Filter.Engine.Message;
using Filter.Engine.Spf;

namespace Filter.Engine.Pipeline;

/// <summary>What <see cref="VerdictRules"/> decides on: the client, the results and the domains overrides match.</summary>
/// <param name="Client">The connecting client.</param>
/// <param name="Author">What the From field(s) gave.</param>
/// <param name="MailFromDomain">The envelope sender's domain, or null for the null sender.</param>
/// <param name="Spf">The MAIL FROM check, or null.</param>
/// <param name="Dmarc">The DMARC result.</param>
public sealed record VerdictInputs(ClientConnection Client, AuthorDomainResult Author, string? MailFromDomain, SpfResult? Spf, DmarcResult Dmarc);
