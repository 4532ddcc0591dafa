using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Policy;
using Filter.Engine.Spf;

namespace Filter.Host.Glue;

/// <summary>
/// Builds the engine's checkers once per policy (SPF evaluator, DKIM verifier, DMARC evaluator,
/// Authentication-Results formatter and ownership test) and starts an <see cref="EngineMessageCheck"/>
/// per message. Interim: it drives the engine's checks directly until the engine's
/// <c>MessageAuthenticator</c> (issue 7 item 4, "build against the engine's checks directly and
/// leave the pipeline seam clean") replaces it behind <see cref="IMessageCheckFactory"/>.
/// </summary>
internal sealed class EngineMessageCheckFactory : IMessageCheckFactory
{
    /// <summary>Builds the checkers for <paramref name="policy"/> on <paramref name="resolver"/>.</summary>
    public EngineMessageCheckFactory(FilterPolicy policy, IDnsResolver resolver, TimeProvider timeProvider)
    {
        Policy = policy;
        Spf = new SpfEvaluator(resolver, new SpfOptions
        {
            MaxDnsTerms = policy.Limits.SpfLookups,
            MaxVoidLookups = policy.Limits.SpfVoidLookups,
            ReceiverName = policy.AuthservId,
            TimeProvider = timeProvider,
        });
        Dkim = new DkimVerifier(resolver, new DkimVerifierOptions
        {
            MaxSignatures = policy.Limits.DkimSignatures,
            MaxKeyLookups = policy.Limits.DkimSignatures,
        }, timeProvider);
        Dmarc = new DmarcEvaluator(resolver, new DmarcOptions
        {
            Mode = policy.Dmarc.Mode == Engine.Policy.DmarcMode.Rfc7489 ? Engine.Dmarc.DmarcMode.Rfc7489 : Engine.Dmarc.DmarcMode.Rfc9989,
            PublicSuffixListPath = policy.Dmarc.PublicSuffixListPath,
            TreeWalkMaxQueries = policy.Limits.DmarcTreeWalk,
            MultipleAuthorDomains = policy.Dmarc.MultipleFrom == MultipleFromHandling.Strictest
                ? MultipleAuthorDomainsHandling.EvaluateEach
                : MultipleAuthorDomainsHandling.Reject,
        });
        Formatter = new AuthenticationResultsFormatter(policy.AuthservId);
        Ownership = new AuthenticationResultsOwnership(policy.AuthservId);
    }

    /// <inheritdoc />
    public FilterPolicy Policy { get; }

    internal SpfEvaluator Spf { get; }

    internal DkimVerifier Dkim { get; }

    internal DmarcEvaluator Dmarc { get; }

    internal AuthenticationResultsFormatter Formatter { get; }

    internal AuthenticationResultsOwnership Ownership { get; }

    /// <inheritdoc />
    public IMessageCheck Start(MessageEnvelope envelope, CancellationToken cancellationToken) =>
        new EngineMessageCheck(this, envelope, cancellationToken);
}
