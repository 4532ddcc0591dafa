using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Spf;

/// <summary>
/// The SPF checker (RFC 7208): check_host() for the MAIL FROM identity (with the null-sender rule
/// of §2.4) or for the HELO identity (§2.3), against any <see cref="IDnsResolver"/>.
/// </summary>
/// <remarks>
/// Thread-safe and meant to live as long as the resolver: it keeps a cache of parsed records.
/// Every outcome is a <see cref="SpfResult"/> value; DNS trouble, bad records and bad input give
/// temperror, permerror or none with a reason, never an exception. Only cancellation of
/// <c>cancellationToken</c> throws (<see cref="OperationCanceledException"/>).
/// </remarks>
public sealed class SpfEvaluator
{
    private readonly IDnsResolver _resolver;
    private readonly SpfOptions _options;
    private readonly SpfRecordCache _records = new();
    private readonly SpfMacroString _defaultExplanation;

    /// <summary>Creates a checker over <paramref name="resolver"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="SpfOptions.DefaultExplanation"/> is not a valid macro-string (a configuration error).</exception>
    public SpfEvaluator(IDnsResolver resolver, SpfOptions? options = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _options = options ?? new SpfOptions();
        var text = _options.DefaultExplanation ?? string.Empty;
        if (!SpfMacroString.TryParse(text, 0, text.Length, SpfMacroSyntax.Explanation, out var parsed, out var error))
        {
            throw new ArgumentException($"SpfOptions.DefaultExplanation is not a valid macro-string: {error}", nameof(options));
        }

        _defaultExplanation = parsed!;
    }

    /// <summary>
    /// Checks the MAIL FROM identity. <paramref name="mailFrom"/> is the reverse-path, with or
    /// without angle brackets; null, empty or "&lt;&gt;" is the null sender, checked as
    /// postmaster@<paramref name="helo"/> (§2.4). A missing local-part becomes "postmaster" (§4.3).
    /// </summary>
    public ValueTask<SpfResult> CheckMailFromAsync(IPAddress clientAddress, string? helo, string? mailFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        helo ??= string.Empty;
        var path = mailFrom ?? string.Empty;
        if (path.Length >= 2 && path[0] == '<' && path[^1] == '>')
        {
            path = path[1..^1];
        }

        if (path.Length == 0)
        {
            return CheckAsync(clientAddress, helo, SpfIdentity.MailFrom, "postmaster@" + helo, "postmaster", helo, string.Empty, cancellationToken);
        }

        var at = path.LastIndexOf('@');
        var local = at <= 0 ? "postmaster" : path[..at];
        var domain = at < 0 ? path : path[(at + 1)..];
        var sender = at > 0 ? path : local + "@" + domain;
        return CheckAsync(clientAddress, helo, SpfIdentity.MailFrom, sender, local, domain, path, cancellationToken);
    }

    /// <summary>Checks the HELO identity (§2.3): &lt;domain&gt; is the HELO name, &lt;sender&gt; postmaster@HELO.</summary>
    public ValueTask<SpfResult> CheckHeloAsync(IPAddress clientAddress, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        helo ??= string.Empty;
        return CheckAsync(clientAddress, helo, SpfIdentity.Helo, "postmaster@" + helo, "postmaster", helo, null, cancellationToken);
    }

    private async ValueTask<SpfResult> CheckAsync(
        IPAddress clientAddress, string helo, SpfIdentity identity, string sender, string localPart, string domain, string? envelopeFrom, CancellationToken cancellationToken)
    {
        var client = new SpfClientAddress(clientAddress);
        var context = new SpfCheckContext(client, sender, localPart, domain, helo, _options.ReceiverName, _options.TimeProvider);
        SpfOutcome outcome;
        string? explanation = null;

        // §4.3: a malformed domain gives "none" before any DNS query.
        if (!SpfDomainName.IsValidCheckDomain(domain, out var problem))
        {
            outcome = SpfOutcome.Error(SpfResultCode.None, identity == SpfIdentity.Helo || envelopeFrom == string.Empty
                ? $"HELO name: {problem}"
                : $"MAIL FROM domain: {problem}");
        }
        else
        {
            var queryDomain = SpfDomainName.ToQueryName(domain);
            var budget = new SpfLookupBudget(_resolver, _options.MaxDnsTerms, _options.MaxVoidLookups);
            var evaluation = new SpfEvaluation(budget, context, _options, _records, _defaultExplanation);
            outcome = await evaluation.CheckHostAsync(queryDomain, cancellationToken).ConfigureAwait(false);
            if (outcome.Code == SpfResultCode.Fail)
            {
                explanation = await evaluation.ExplainAsync(outcome, queryDomain, cancellationToken).ConfigureAwait(false);
            }
        }

        return new SpfResult(outcome.Code, identity, domain, context.Sender, outcome.Mechanism, explanation, outcome.Reason)
        {
            ClientAddress = client.Address,
            HeloName = helo,
            EnvelopeFrom = envelopeFrom,
        };
    }
}
