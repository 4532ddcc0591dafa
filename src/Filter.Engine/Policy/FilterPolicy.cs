namespace Filter.Engine.Policy;

/// <summary>
/// The whole effective policy of one authfilter instance: what <c>filter.yaml</c> says, with every
/// key the file leaves out filled by its default. The host builds it (YAML loading and validation
/// live in Filter.Host); the engine and the milter glue only read it. It is immutable, so a reload
/// swaps one instance for another and a message in flight keeps the policy it started with.
/// </summary>
/// <remarks>
/// The defaults are the safe, standard ones: honour a DMARC p=reject, never reject on SPF alone,
/// tempfail when DNS trouble leaves a result undetermined, judge every client unless it
/// authenticated or sits in a listed trusted network, listen on loopback only.
/// </remarks>
public sealed record FilterPolicy
{
    /// <summary>
    /// The authserv-id written in our Authentication-Results header and used to recognise forged
    /// ones (RFC 8601 §2.5, §5). The loader defaults it to the machine's host name.
    /// </summary>
    public string AuthservId { get; init; } = "localhost";

    /// <summary>Where the milter server listens; at least one socket. Default: <see cref="ListenSocket.DefaultLoopback"/>.</summary>
    public IReadOnlyList<ListenSocket> Listen { get; init; } = [ListenSocket.DefaultLoopback];

    /// <summary>Resolver settings for the live DNS resolver.</summary>
    public DnsSettings Dns { get; init; } = new();

    /// <summary>DMARC mode, public suffix list and the multiple-From rule.</summary>
    public DmarcSettings Dmarc { get; init; } = new();

    /// <summary>Clients that are recorded but not judged.</summary>
    public TrustSettings Trust { get; init; } = new();

    /// <summary>What each outcome does (reject, quarantine, tempfail, accept, tag).</summary>
    public OutcomeActions Actions { get; init; } = new();

    /// <summary>The SMTP replies given for reject and tempfail verdicts.</summary>
    public SmtpReplies Replies { get; init; } = new();

    /// <summary>What an SPF fail does on its own.</summary>
    public SpfSettings Spf { get; init; } = new();

    /// <summary>DKIM verification settings.</summary>
    public DkimSettings Dkim { get; init; } = new();

    /// <summary>Per-domain exceptions by From domain or envelope-sender domain, in file order.</summary>
    public DomainOverrideList Overrides { get; init; } = DomainOverrideList.Empty;

    /// <summary>Resource limits, each explicit (DESIGN.md "every limit is explicit").</summary>
    public PolicyLimits Limits { get; init; } = new();

    /// <summary>The optional Prometheus endpoint.</summary>
    public MetricsSettings Metrics { get; init; } = new();

    /// <summary>Optional recording of messages and their DNS answers as replayable corpus entries.</summary>
    public RecordingSettings Recording { get; init; } = new();

    /// <summary>The policy with every default, for tools run without a policy file.</summary>
    public static FilterPolicy Default { get; } = new();
}
