using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Spf;

/// <summary>
/// One run of check_host() (RFC 7208 §4) with its includes and redirects: record selection,
/// directives in order, redirect=, and the exp= explanation of a fail. The §4.6.4 limits are
/// counted by <see cref="SpfLookupBudget"/>; this class only charges terms and reads the verdict.
/// </summary>
internal sealed class SpfEvaluation(SpfLookupBudget budget, SpfCheckContext context, SpfOptions options, SpfRecordCache records, SpfMacroString defaultExplanation)
{
    private readonly SpfLookupBudget _budget = budget;
    private readonly SpfCheckContext _context = context;
    private readonly SpfOptions _options = options;
    private readonly SpfRecordCache _records = records;
    private readonly SpfMacroString _defaultExplanation = defaultExplanation;
    private readonly long _started = options.TimeProvider.GetTimestamp();

    /// <summary>check_host(&lt;ip&gt;, <paramref name="domain"/>, &lt;sender&gt;) for an already validated domain.</summary>
    public async ValueTask<SpfOutcome> CheckHostAsync(string domain, CancellationToken cancellationToken)
    {
        var (record, failure) = await FetchRecordAsync(domain, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return failure;
        }

        foreach (var directive in record.Directives)
        {
            if (directive.CountsAsLookup && !TryStartLookupTerm(directive.Text, out var limit))
            {
                return limit;
            }

            var match = await MatchAsync(directive, domain, cancellationToken).ConfigureAwait(false);
            if (match.Error is { } error)
            {
                return SpfOutcome.Error(error, $"'{directive.Text}' in {domain}'s record: {match.Detail}");
            }

            if (directive.CountsAsLookup && _budget.IsVoidLimitExceeded)
            {
                return SpfOutcome.Error(SpfResultCode.PermError,
                    $"more than {_budget.MaxVoids} void DNS lookups (at '{directive.Text}' in {domain}'s record, RFC 7208 §4.6.4)");
            }

            if (match.IsMatch)
            {
                var code = Code(directive.Qualifier);
                var reason = $"{_context.Client.Readable} matched '{directive.Text}' in {domain}'s record";
                return code == SpfResultCode.Fail
                    ? new SpfOutcome(code, directive.Text, reason, record, domain)
                    : new SpfOutcome(code, directive.Text, reason);
            }
        }

        // §6.1: redirect applies only when nothing matched, and never when the record has "all".
        if (record.Redirect is { } redirect && !record.HasAll)
        {
            if (!TryStartLookupTerm("redirect=" + redirect.Text, out var limit))
            {
                return limit;
            }

            var target = await ExpandTargetAsync(redirect, domain, cancellationToken).ConfigureAwait(false);
            if (!SpfDomainName.IsValidCheckDomain(target, out var problem))
            {
                return SpfOutcome.Error(SpfResultCode.PermError, $"redirect={redirect.Text} in {domain}'s record: {problem}");
            }

            var outcome = await CheckHostAsync(target, cancellationToken).ConfigureAwait(false);
            return outcome.Code == SpfResultCode.None
                ? SpfOutcome.Error(SpfResultCode.PermError, $"redirect={target} from {domain}: {outcome.Reason}")
                : outcome;
        }

        return new SpfOutcome(SpfResultCode.Neutral, null, $"no mechanism in {domain}'s record matched {_context.Client.Readable}");
    }

    /// <summary>The explanation of a fail (§6.2): the record's exp= text, else the default. Never changes the result.</summary>
    public async ValueTask<string> ExplainAsync(SpfOutcome outcome, string topDomain, CancellationToken cancellationToken)
    {
        var domain = outcome.ExplainingDomain ?? topDomain;
        if (outcome.ExplainingRecord?.Explanation is { } exp)
        {
            var text = await FetchExplanationAsync(exp, domain, cancellationToken).ConfigureAwait(false);
            if (text is not null)
            {
                return text;
            }
        }

        return await ExpandAsync(_defaultExplanation, domain, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string?> FetchExplanationAsync(SpfMacroString exp, string domain, CancellationToken cancellationToken)
    {
        // exp= lookups happen after the result is known and do not count as DNS terms or void
        // lookups (§4.6.4, suite test exp-void): they go around the budget.
        var target = await ExpandTargetAsync(exp, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsQueryable(target))
        {
            return null;
        }

        var response = await _budget.Uncounted.QueryTxtAsync(target, cancellationToken).ConfigureAwait(false);
        if (response.Status != DnsResponseStatus.Answer || response.Records.Count != 1)
        {
            return null;
        }

        var parsed = _records.GetOrParseExplanation(response.Records[0]);
        return parsed is null ? null : await ExpandAsync(parsed, domain, cancellationToken).ConfigureAwait(false);
    }

    private bool TryStartLookupTerm(string term, out SpfOutcome limit)
    {
        if (_options.TimeProvider.GetElapsedTime(_started) > _options.EvaluationTimeout)
        {
            limit = SpfOutcome.Error(SpfResultCode.TempError,
                $"the check took longer than {_options.EvaluationTimeout.TotalSeconds:0.#} s (at '{term}', RFC 7208 §4.6.4)");
            return false;
        }

        if (!_budget.TryChargeTerm())
        {
            limit = SpfOutcome.Error(SpfResultCode.PermError,
                $"more than {_budget.MaxTerms} DNS-querying mechanisms and modifiers (at '{term}', RFC 7208 §4.6.4)");
            return false;
        }

        limit = default;
        return true;
    }

    // §4.4 record lookup and §4.5 selection.
    private async ValueTask<(SpfRecord? Record, SpfOutcome Failure)> FetchRecordAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await _budget.Uncounted.QueryTxtAsync(domain, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryError)
        {
            return (null, SpfOutcome.Error(SpfResultCode.TempError, $"DNS error looking up {domain}'s TXT records: {response.Detail ?? response.Status.ToString()}"));
        }

        if (response.Status == DnsResponseStatus.NxDomain)
        {
            return (null, SpfOutcome.Error(SpfResultCode.None, $"{domain} does not exist"));
        }

        // Indexed loops over IReadOnlyList: a foreach would box an enumerator per lookup.
        string? found = null;
        var texts = response.Records;
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            if (!SpfRecordParser.IsSpfRecord(text))
            {
                continue;
            }

            if (found is not null)
            {
                return (null, SpfOutcome.Error(SpfResultCode.PermError, $"{domain} publishes more than one 'v=spf1' record (RFC 7208 §4.5)"));
            }

            found = text;
        }

        if (found is null)
        {
            return (null, SpfOutcome.Error(SpfResultCode.None, $"{domain} publishes no SPF record"));
        }

        var parsed = _records.GetOrParse(found);
        if (parsed.Record is null)
        {
            return (null, SpfOutcome.Error(SpfResultCode.PermError, $"syntax error in {domain}'s record, {parsed.Error}"));
        }

        return (parsed.Record, default);
    }

    private ValueTask<SpfMatch> MatchAsync(SpfDirective directive, string domain, CancellationToken cancellationToken) => directive.Kind switch
    {
        SpfMechanismKind.All => ValueTask.FromResult(SpfMatch.Matched),
        SpfMechanismKind.Ip4 => ValueTask.FromResult(_context.Client.MatchesIp4(directive.Network4, directive.Cidr4) ? SpfMatch.Matched : SpfMatch.NoMatch),
        SpfMechanismKind.Ip6 => ValueTask.FromResult(_context.Client.MatchesIp6(directive.Network6, directive.Cidr6) ? SpfMatch.Matched : SpfMatch.NoMatch),
        SpfMechanismKind.A => MatchAAsync(directive, domain, cancellationToken),
        SpfMechanismKind.Mx => MatchMxAsync(directive, domain, cancellationToken),
        SpfMechanismKind.Ptr => MatchPtrAsync(directive, domain, cancellationToken),
        SpfMechanismKind.Exists => MatchExistsAsync(directive, domain, cancellationToken),
        SpfMechanismKind.Include => MatchIncludeAsync(directive, domain, cancellationToken),
        _ => throw new InvalidOperationException($"unhandled mechanism {directive.Kind}"),
    };

    // §5.3: A or AAAA (by the client's family) of the target; any address in the CIDR range matches.
    private async ValueTask<SpfMatch> MatchAAsync(SpfDirective directive, string domain, CancellationToken cancellationToken)
    {
        var target = directive.DomainSpec is null ? domain : await ExpandTargetAsync(directive.DomainSpec, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsQueryable(target))
        {
            return SpfMatch.NotMatched($"'{target}' is not a valid domain name");
        }

        var response = _context.Client.IsIPv4
            ? await _budget.QueryAAsync(target, cancellationToken).ConfigureAwait(false)
            : await _budget.QueryAaaaAsync(target, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryError)
        {
            return SpfMatch.Temporary($"DNS error for {target}: {response.Detail ?? response.Status.ToString()}");
        }

        return AnyMatches(response.Records, directive) ? SpfMatch.Matched : SpfMatch.NoMatch;
    }

    // §5.4: the MX hosts' addresses; more than 10 MX names is a permerror (§4.6.4).
    private async ValueTask<SpfMatch> MatchMxAsync(SpfDirective directive, string domain, CancellationToken cancellationToken)
    {
        var target = directive.DomainSpec is null ? domain : await ExpandTargetAsync(directive.DomainSpec, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsQueryable(target))
        {
            return SpfMatch.NotMatched($"'{target}' is not a valid domain name");
        }

        var response = await _budget.QueryMxAsync(target, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryError)
        {
            return SpfMatch.Temporary($"DNS error for {target} MX: {response.Detail ?? response.Status.ToString()}");
        }

        var names = 0;
        var exchanges = response.Records;
        for (var i = 0; i < exchanges.Count; i++)
        {
            if (!IsNullMx(exchanges[i].Exchange))
            {
                names++;
            }
        }

        if (names > _options.MaxMxNames)
        {
            return SpfMatch.Permanent($"{target} has {names} MX names, more than {_options.MaxMxNames} (RFC 7208 §4.6.4)");
        }

        for (var i = 0; i < exchanges.Count; i++)
        {
            var mx = exchanges[i];

            // RFC 7505: a null MX ("." or empty) names no host.
            if (IsNullMx(mx.Exchange) || !SpfDomainName.IsQueryable(mx.Exchange))
            {
                continue;
            }

            var addresses = _context.Client.IsIPv4
                ? await _budget.Uncounted.QueryAAsync(mx.Exchange, cancellationToken).ConfigureAwait(false)
                : await _budget.Uncounted.QueryAaaaAsync(mx.Exchange, cancellationToken).ConfigureAwait(false);
            if (addresses.IsTemporaryError)
            {
                return SpfMatch.Temporary($"DNS error for MX host {mx.Exchange}: {addresses.Detail ?? addresses.Status.ToString()}");
            }

            if (AnyMatches(addresses.Records, directive))
            {
                return SpfMatch.Matched;
            }
        }

        return SpfMatch.NoMatch;
    }

    // §5.5: a validated PTR name equal to or below the target. DNS errors only mean "no match".
    private async ValueTask<SpfMatch> MatchPtrAsync(SpfDirective directive, string domain, CancellationToken cancellationToken)
    {
        var target = directive.DomainSpec is null ? domain : await ExpandTargetAsync(directive.DomainSpec, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsQueryable(target))
        {
            return SpfMatch.NotMatched($"'{target}' is not a valid domain name");
        }

        var response = await _budget.QueryPtrAsync(_context.Client.ReverseName, cancellationToken).ConfigureAwait(false);
        var limit = Math.Min(response.Records.Count, _options.MaxPtrNames);
        for (var i = 0; i < limit; i++)
        {
            var name = response.Records[i];
            if (IsAtOrBelow(name, target) && await IsValidatedAsync(name, cancellationToken).ConfigureAwait(false))
            {
                return SpfMatch.Matched;
            }
        }

        return SpfMatch.NoMatch;
    }

    // §5.7: any A record of the target, whatever the client's address family.
    private async ValueTask<SpfMatch> MatchExistsAsync(SpfDirective directive, string domain, CancellationToken cancellationToken)
    {
        var target = await ExpandTargetAsync(directive.DomainSpec!, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsQueryable(target))
        {
            return SpfMatch.NotMatched($"'{target}' is not a valid domain name");
        }

        var response = await _budget.QueryAAsync(target, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryError)
        {
            return SpfMatch.Temporary($"DNS error for {target}: {response.Detail ?? response.Status.ToString()}");
        }

        return response.Records.Count > 0 ? SpfMatch.Matched : SpfMatch.NoMatch;
    }

    // §5.2: pass matches; fail, softfail and neutral do not; errors and "none" end the check.
    private async ValueTask<SpfMatch> MatchIncludeAsync(SpfDirective directive, string domain, CancellationToken cancellationToken)
    {
        var target = await ExpandTargetAsync(directive.DomainSpec!, domain, cancellationToken).ConfigureAwait(false);
        if (!SpfDomainName.IsValidCheckDomain(target, out var problem))
        {
            return SpfMatch.Permanent(problem);
        }

        var inner = await CheckHostAsync(target, cancellationToken).ConfigureAwait(false);
        return inner.Code switch
        {
            SpfResultCode.Pass => SpfMatch.Matched,
            SpfResultCode.Fail or SpfResultCode.SoftFail or SpfResultCode.Neutral => SpfMatch.NoMatch,
            SpfResultCode.TempError => SpfMatch.Temporary(inner.Reason),
            SpfResultCode.PermError => SpfMatch.Permanent(inner.Reason),
            _ => SpfMatch.Permanent($"included {inner.Reason}"),
        };
    }

    private async ValueTask<string> ExpandTargetAsync(SpfMacroString spec, string domain, CancellationToken cancellationToken)
    {
        var expanded = await ExpandAsync(spec, domain, cancellationToken).ConfigureAwait(false);
        return SpfDomainName.ToQueryName(expanded);
    }

    private async ValueTask<string> ExpandAsync(SpfMacroString macro, string domain, CancellationToken cancellationToken)
    {
        if (macro.Literal is not null)
        {
            return macro.Literal;
        }

        var validated = macro.UsesValidatedName ? await ValidatedNameAsync(domain, cancellationToken).ConfigureAwait(false) : null;
        return SpfMacroExpander.Expand(macro, _context, domain, validated);
    }

    // The "p" macro (§7.3): a validated PTR name, preferring <domain> or a name below it; else "unknown".
    private async ValueTask<string> ValidatedNameAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await _budget.Uncounted.QueryPtrAsync(_context.Client.ReverseName, cancellationToken).ConfigureAwait(false);
        var limit = Math.Min(response.Records.Count, _options.MaxPtrNames);
        string? fallback = null;
        for (var i = 0; i < limit; i++)
        {
            var name = response.Records[i];
            var preferred = IsAtOrBelow(name, domain);
            if ((preferred || fallback is null) && await IsValidatedAsync(name, cancellationToken).ConfigureAwait(false))
            {
                if (preferred)
                {
                    return name;
                }

                fallback = name;
            }
        }

        return fallback ?? "unknown";
    }

    // Forward-confirms a PTR name: one of its addresses is the client (§5.5). Errors skip the name.
    private async ValueTask<bool> IsValidatedAsync(string name, CancellationToken cancellationToken)
    {
        if (!SpfDomainName.IsQueryable(name))
        {
            return false;
        }

        var response = _context.Client.IsIPv4
            ? await _budget.Uncounted.QueryAAsync(name, cancellationToken).ConfigureAwait(false)
            : await _budget.Uncounted.QueryAaaaAsync(name, cancellationToken).ConfigureAwait(false);
        var addresses = response.Records;
        for (var i = 0; i < addresses.Count; i++)
        {
            if (_context.Client.IsSameAs(addresses[i]))
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyMatches(IReadOnlyList<IPAddress> addresses, SpfDirective directive)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (_context.Client.Matches(addresses[i], directive.Cidr4, directive.Cidr6))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNullMx(string exchange) => exchange.Length == 0 || exchange == ".";

    internal static bool IsAtOrBelow(string name, string domain)
    {
        var n = name.AsSpan().TrimEnd('.');
        var d = domain.AsSpan().TrimEnd('.');
        if (!n.EndsWith(d, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return n.Length == d.Length || n[n.Length - d.Length - 1] == '.';
    }

    private static SpfResultCode Code(SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Pass => SpfResultCode.Pass,
        SpfQualifier.Fail => SpfResultCode.Fail,
        SpfQualifier.SoftFail => SpfResultCode.SoftFail,
        _ => SpfResultCode.Neutral,
    };
}
