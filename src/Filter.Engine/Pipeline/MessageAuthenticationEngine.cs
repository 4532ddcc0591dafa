using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Message;
using Filter.Engine.Policy;
using Filter.Engine.Spf;
using Microsoft.Extensions.Logging;

namespace Filter.Engine.Pipeline;

/// <summary>
/// The shared, long-lived half of the pipeline: the SPF, DKIM and DMARC checkers built once from the
/// policy over one <see cref="IDnsResolver"/>, and <see cref="StartMessage()"/> for each message. The
/// daemon keeps one per policy (a reload builds a new one; messages in flight keep theirs); the
/// offline tools build one per run. Thread-safe.
/// </summary>
public sealed class MessageAuthenticationEngine
{
    private readonly SpfOptions _spfOptions;

    public MessageAuthenticationEngine(
        IDnsResolver resolver, FilterPolicy policy, TimeProvider timeProvider, ILogger logger, MessageAuthenticatorOptions? options = null)
    {
        Resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Options = options ?? new MessageAuthenticatorOptions();
        _spfOptions = new SpfOptions
        {
            MaxDnsTerms = policy.Limits.SpfLookups,
            MaxVoidLookups = policy.Limits.SpfVoidLookups,
            ReceiverName = policy.AuthservId,
            TimeProvider = timeProvider,
        };
        Spf = new SpfEvaluator(resolver, _spfOptions);
        Dkim = new DkimVerifier(resolver, new DkimVerifierOptions
        {
            MinimumRsaKeyBits = policy.Dkim.MinimumRsaBits,
            MaxSignatures = policy.Limits.DkimSignatures,
            MaxKeyLookups = policy.Limits.DkimSignatures,
            ClockSkew = policy.Dkim.ClockSkew,
        }, timeProvider);
        Dmarc = new DmarcEvaluator(resolver, new DmarcOptions
        {
            Mode = policy.Dmarc.Mode,
            PublicSuffixListPath = policy.Dmarc.PublicSuffixListPath,
            TreeWalkMaxQueries = policy.Limits.DmarcTreeWalk,
            MultipleAuthorDomains = policy.Dmarc.MultipleFrom == MultipleFromHandling.Strictest
                ? MultipleAuthorDomainsHandling.EvaluateEach
                : MultipleAuthorDomainsHandling.Reject,
            PercentSamplerSeed = Options.DmarcSamplerSeed,
        });
        Formatter = new AuthenticationResultsFormatter(policy.AuthservId);
        Ownership = new AuthenticationResultsOwnership(policy.AuthservId);
    }

    public FilterPolicy Policy { get; }

    /// <summary>The shared resolver every message uses unless <see cref="StartMessage(IDnsResolver)"/> gives it its own.</summary>
    public IDnsResolver Resolver { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public MessageAuthenticatorOptions Options { get; }

    /// <summary>
    /// Whether the HELO identity is checked too (RFC 7208 §2.3): the policy's <c>spf.check-helo</c>, or the
    /// engine option for callers without a policy file. Either one asking for it is enough.
    /// </summary>
    public bool CheckHelo => Policy.Spf.CheckHelo || Options.CheckHelo;

    internal SpfEvaluator Spf { get; }

    internal DkimVerifier Dkim { get; }

    internal DmarcEvaluator Dmarc { get; }

    internal AuthenticationResultsFormatter Formatter { get; }

    internal AuthenticationResultsOwnership Ownership { get; }

    /// <summary>Author Domains by From value, shared by every message (see <see cref="AuthorDomainCache"/>).</summary>
    internal AuthorDomainCache AuthorDomains { get; } = new();

    /// <summary>Starts one message's life; feed it in milter order, then call <see cref="MessageAuthenticator.CompleteAsync"/>.</summary>
    public MessageAuthenticator StartMessage() => new(this, Spf, Dkim.StartSession(), Dmarc);

    /// <summary>
    /// Starts one message whose DNS questions all go to <paramref name="resolver"/> instead of
    /// <see cref="Resolver"/>: the daemon gives a recorded message a <see cref="RecordingDnsResolver"/>
    /// over <see cref="Resolver"/> (issue 6 item 6). Everything else is the shared engine's: the policy,
    /// the options, the parsed-record and key caches (keyed by record text, so they never answer a
    /// question the resolver was not asked), the DMARC sampler. The per-message limits (SPF lookup
    /// budget, DMARC tree walk, DKIM key lookups) wrap this resolver just as they wrap the shared one.
    /// A few small objects more than <see cref="StartMessage()"/>; meant for sampled messages, not all.
    /// </summary>
    public MessageAuthenticator StartMessage(IDnsResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return new MessageAuthenticator(
            this,
            new SpfEvaluator(resolver, _spfOptions),
            Dkim.StartSession(resolver),
            new DmarcEvaluator(resolver, Dmarc.Options, Dmarc.Discovery, Dmarc.Sampler, Dmarc.Records));
    }

    /// <summary>
    /// The offline convenience (check, replay): feeds the envelope and then a stored message (CRLF or LF)
    /// header by header and the body in <see cref="MessageAuthenticatorOptions.FileChunkSize"/> chunks,
    /// exactly as the milter would, and returns the outcome.
    /// </summary>
    public Task<AuthenticationOutcome> AuthenticateAsync(Stream message, MessageEnvelope envelope, CancellationToken cancellationToken) =>
        AuthenticateAsync(message, envelope, Resolver, cancellationToken);

    /// <summary>
    /// As <see cref="AuthenticateAsync(Stream, MessageEnvelope, CancellationToken)"/>, with this message's DNS
    /// from <paramref name="resolver"/> (replay of a recorded entry with its own zone).
    /// </summary>
    public async Task<AuthenticationOutcome> AuthenticateAsync(Stream message, MessageEnvelope envelope, IDnsResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(resolver);
        using var authenticator = ReferenceEquals(resolver, Resolver) ? StartMessage() : StartMessage(resolver);
        authenticator.QueueId = envelope.QueueId;
        authenticator.OnConnect(envelope.Client);
        authenticator.OnHelo(envelope.Helo);
        authenticator.OnMailFrom(envelope.MailFrom, cancellationToken);
        foreach (var recipient in envelope.Recipients)
        {
            authenticator.OnRecipient(recipient);
        }

        await RawMessageReader.ReadAsync(message, authenticator, Options.FileChunkSize, cancellationToken).ConfigureAwait(false);
        return await authenticator.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
