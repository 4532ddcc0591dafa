using Filter.Engine.Dns;
using Filter.Engine.Message;

namespace Filter.Engine.Dmarc;

/// <summary>
/// DMARC (RFC 9989 §5.3; RFC 7489 in <see cref="DmarcMode.Rfc7489"/>). One instance serves every
/// message. Call <see cref="Start(AuthorDomainResult, CancellationToken)"/> as soon as the From field is known
/// (end of headers): policy discovery starts at once. Call <see cref="DmarcEvaluation.EvaluateAsync"/> at
/// end of message with the SPF and DKIM results.
/// </summary>
internal sealed class DmarcEvaluator
{
    private readonly IDnsResolver _resolver;
    private readonly OrganizationalDomainDiscovery _discovery;

    public DmarcEvaluator(IDnsResolver resolver, DmarcOptions options, IDmarcSampler? sampler = null)
        : this(resolver, options, OrganizationalDomainDiscovery.Create(options), sampler)
    {
    }

    /// <summary>
    /// An evaluator sharing another's discovery, sampler and parsed-record cache (the cache is keyed by record
    /// text, so it never answers a question this evaluator's resolver was not asked).
    /// </summary>
    internal DmarcEvaluator(IDnsResolver resolver, DmarcOptions options, OrganizationalDomainDiscovery discovery, IDmarcSampler? sampler,
        DmarcRecordCache? records = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(discovery);
        _resolver = resolver;
        Options = options;
        _discovery = discovery;
        Sampler = sampler ?? new SeededDmarcSampler(options.PercentSamplerSeed);
        Records = records is not null && records.Mode == discovery.Mode ? records : new DmarcRecordCache(discovery.Mode);
    }

    public DmarcOptions Options { get; }

    internal IDmarcSampler Sampler { get; }

    internal DmarcMode Mode => _discovery.Mode;

    internal OrganizationalDomainDiscovery Discovery => _discovery;

    internal IDnsResolver Resolver => _resolver;

    /// <summary>Parsed DMARC records by text, shared by every message (RFC 9989 §4.7 records change rarely).</summary>
    internal DmarcRecordCache Records { get; }

    /// <summary>Starts the evaluation for one Author Domain as written in the From field (U- or A-label).</summary>
    public DmarcEvaluation Start(string authorDomain, CancellationToken cancellationToken) =>
        DmarcDomainName.TryNormalize(authorDomain, out var normalized, out var error)
            ? Start(new AuthorDomainResult(AuthorDomainStatus.Single, [normalized], 1, 1, "one domain"), cancellationToken)
            : Start(new AuthorDomainResult(AuthorDomainStatus.Malformed, [], 1, 1, error!), cancellationToken);

    /// <summary>
    /// Starts the evaluation for the Author Domain(s) <see cref="AuthorDomainExtractor"/> found. Policy
    /// discovery (and the np existence test) run in the background from here on.
    /// </summary>
    public DmarcEvaluation Start(AuthorDomainResult author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        switch (author.Status)
        {
            case AuthorDomainStatus.Single:
                return new DmarcEvaluation(this, [author.Domains[0]], null, cancellationToken);
            case AuthorDomainStatus.Multiple when Options.MultipleAuthorDomains == MultipleAuthorDomainsHandling.EvaluateEach:
                if (author.Domains.Count > Options.MaxAuthorDomains)
                {
                    return new DmarcEvaluation(this, [], Unusable($"{author.Domains.Count} Author Domains, more than the limit of {Options.MaxAuthorDomains} (RFC 9989 11.5)"), cancellationToken);
                }

                return new DmarcEvaluation(this, author.Domains, null, cancellationToken);
            default:
                return new DmarcEvaluation(this, [], Unusable($"no single Author Domain: {author.Reason}"), cancellationToken);
        }
    }

    private DmarcResult Unusable(string reason) =>
        new(DmarcResultCode.PermError, null, null, null, null, Options.UnusableAuthorDisposition, null, null, false, false, null, false, Mode, reason);
}
