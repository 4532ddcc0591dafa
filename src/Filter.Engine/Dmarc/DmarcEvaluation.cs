using Filter.Engine.Dkim;
using Filter.Engine.Spf;

namespace Filter.Engine.Dmarc;

/// <summary>
/// One message's DMARC evaluation, started by <see cref="DmarcEvaluator.Start(Message.AuthorDomainResult, CancellationToken)"/>:
/// policy discovery is already running; <see cref="EvaluateAsync"/> adds the SPF and DKIM results,
/// checks Identifier Alignment and applies the policy (RFC 9989 §5.3.2-§5.3.6).
/// </summary>
internal sealed class DmarcEvaluation
{
    private readonly DmarcEvaluator _evaluator;
    private readonly DmarcRecordLookup _lookup;
    private readonly IReadOnlyList<string> _authorDomains;
    private readonly Task<DomainDiscovery>[] _discoveries;
    private readonly DmarcResult? _immediate;

    internal DmarcEvaluation(DmarcEvaluator evaluator, IReadOnlyList<string> authorDomains, DmarcResult? immediate, CancellationToken cancellationToken)
    {
        _evaluator = evaluator;
        _lookup = new DmarcRecordLookup(evaluator.Resolver, evaluator.Records);
        _authorDomains = authorDomains;
        _immediate = immediate;
        _discoveries = new Task<DomainDiscovery>[authorDomains.Count];
        for (var i = 0; i < authorDomains.Count; i++)
        {
            _discoveries[i] = DiscoverAsync(authorDomains[i], cancellationToken);
        }
    }

    /// <summary>The Author Domains being evaluated (normalized), empty when the From field was unusable.</summary>
    public IReadOnlyList<string> AuthorDomains => _authorDomains;

    /// <summary>Completes when policy discovery (and the np existence test) has finished for every Author Domain.</summary>
    public Task DiscoveryCompletion => Task.WhenAll(_discoveries);

    /// <summary>
    /// The DMARC result. <paramref name="spf"/> is the MAIL FROM check (RFC 9989 §4.4.2: DMARC relies solely
    /// on the MAIL FROM identity, which is postmaster@HELO for a null sender, RFC 7208 §2.4); a HELO-identity
    /// result or null means no SPF-Authenticated Identifier. Only passing results can align.
    /// </summary>
    public async Task<DmarcResult> EvaluateAsync(SpfResult? spf, IReadOnlyList<DkimSignatureResult> dkim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dkim);
        if (_immediate is not null)
        {
            return _immediate;
        }

        string? spfDomain = null;
        if (spf is { Code: SpfResultCode.Pass, Identity: SpfIdentity.MailFrom } && DmarcDomainName.TryNormalize(spf.Domain, out var normalizedSpf, out _))
        {
            spfDomain = normalizedSpf;
        }

        // Indexed loops: a foreach over IReadOnlyList boxes an enumerator.
        var dkimDomains = new List<string>(dkim.Count);
        for (var i = 0; i < dkim.Count; i++)
        {
            var signature = dkim[i];
            if (signature.Code == DkimResultCode.Pass
                && DmarcDomainName.TryNormalize(signature.Domain, out var d, out _)
                && !dkimDomains.Contains(d))
            {
                dkimDomains.Add(d);
            }
        }

        // RFC 9989 5.3.6: a check that ended in a DNS error might have given an aligned pass; keep its domain.
        string? spfUndetermined = null;
        if (spf is { Code: SpfResultCode.TempError, Identity: SpfIdentity.MailFrom } && DmarcDomainName.TryNormalize(spf.Domain, out var spfError, out _))
        {
            spfUndetermined = spfError;
        }

        List<string>? dkimUndetermined = null; // made only when a check ended in temperror
        for (var i = 0; i < dkim.Count; i++)
        {
            var signature = dkim[i];
            if (signature.Code == DkimResultCode.TempError && DmarcDomainName.TryNormalize(signature.Domain, out var d, out _)
                && !(dkimUndetermined?.Contains(d) ?? false))
            {
                (dkimUndetermined ??= []).Add(d);
            }
        }

        var undetermined = spfUndetermined is null && dkimUndetermined is null
            ? UndeterminedIdentifiers.Nothing
            : new UndeterminedIdentifiers(spfUndetermined, dkimUndetermined ?? []);
        DmarcResult? strictest = null;
        for (var i = 0; i < _authorDomains.Count; i++)
        {
            var result = await EvaluateDomainAsync(_authorDomains[i], _discoveries[i], spfDomain, dkimDomains, undetermined, cancellationToken).ConfigureAwait(false);
            if (strictest is null || Severity(result) > Severity(strictest))
            {
                strictest = result;
            }
        }

        return strictest!;
    }

    private async Task<DomainDiscovery> DiscoverAsync(string author, CancellationToken cancellationToken)
    {
        var discovery = await _evaluator.Discovery.DiscoverPolicyAsync(author, _lookup, cancellationToken).ConfigureAwait(false);
        if (discovery is { Status: DmarcDiscoveryStatus.PolicyFound, Record: { } record } && discovery.PolicyDomain != author
            && record.NonExistentPolicy != record.SubdomainPolicy)
        {
            // RFC 9989 §4.10.1: sp for an existing subdomain, np for a non-existent one. Only asked when it matters.
            var (existence, detail) = await DomainExistenceChecker.CheckAsync(_evaluator.Resolver, author, cancellationToken).ConfigureAwait(false);
            return new DomainDiscovery(discovery, existence, detail);
        }

        return new DomainDiscovery(discovery, DomainExistence.Exists, null);
    }

    private async ValueTask<DmarcResult> EvaluateDomainAsync(
        string author, Task<DomainDiscovery> pending, string? spfDomain, List<string> dkimDomains, UndeterminedIdentifiers undetermined, CancellationToken cancellationToken)
    {
        var (discovery, existence, existenceDetail) = await pending.ConfigureAwait(false);
        var mode = _evaluator.Mode;
        var organizational = discovery.OrganizationalDomain.Domain;
        switch (discovery.Status)
        {
            case DmarcDiscoveryStatus.TempError:
                return new DmarcResult(DmarcResultCode.TempError, author, null, null, null, DmarcDisposition.None, null, organizational,
                    false, false, null, false, mode, discovery.Reason);
            case DmarcDiscoveryStatus.NoPolicy:
            case DmarcDiscoveryStatus.NoDmarcProcessing:
                return new DmarcResult(DmarcResultCode.None, author, null, null, null, DmarcDisposition.None, discovery.PolicyDomain, organizational,
                    false, false, null, false, mode, discovery.Reason);
            default:
                break;
        }

        var record = discovery.Record!;

        // RFC 9989 §4.4.2 / §4.10.2: the SPF domain against aspf, each passing d= against adkim.
        var spfAlignment = spfDomain is null ? Alignment.NotAligned : await AlignAsync(spfDomain, author, organizational, record.SpfAlignment, cancellationToken).ConfigureAwait(false);
        string? alignedDkim = null;
        var dkimUnknown = false;
        if (dkimDomains.Count == 1)
        {
            // The usual message: one passing signature, no array of pending checks.
            var alignment = await AlignAsync(dkimDomains[0], author, organizational, record.DkimAlignment, cancellationToken).ConfigureAwait(false);
            alignedDkim = alignment == Alignment.Aligned ? dkimDomains[0] : null;
            dkimUnknown = alignment == Alignment.Unknown;
        }
        else if (dkimDomains.Count > 1)
        {
            var checks = new ValueTask<Alignment>[dkimDomains.Count];
            for (var i = 0; i < checks.Length; i++)
            {
                checks[i] = AlignAsync(dkimDomains[i], author, organizational, record.DkimAlignment, cancellationToken);
            }

            for (var i = 0; i < checks.Length; i++)
            {
                var alignment = await checks[i].ConfigureAwait(false);
                if (alignment == Alignment.Aligned)
                {
                    alignedDkim ??= dkimDomains[i];
                }
                else if (alignment == Alignment.Unknown)
                {
                    dkimUnknown = true;
                }
            }
        }

        var spfAligned = spfAlignment == Alignment.Aligned;
        var dkimAligned = alignedDkim is not null;
        DmarcResultCode code;
        string reason;
        if (spfAligned || dkimAligned)
        {
            code = DmarcResultCode.Pass;
            reason = spfAligned && dkimAligned ? $"SPF ({spfDomain}) and DKIM ({alignedDkim}) aligned"
                : spfAligned ? $"SPF ({spfDomain}) aligned" : $"DKIM ({alignedDkim}) aligned";
        }
        else if (spfAlignment == Alignment.Unknown || dkimUnknown)
        {
            // RFC 9989 §5.3.6: a query needed for the alignment did not complete; neither pass nor fail.
            code = DmarcResultCode.TempError;
            reason = "organizational domain unknown after a DNS error: " + (discovery.OrganizationalDomain.TemporaryError ?? "identifier tree walk failed");
        }
        else if (mode == DmarcMode.Rfc9989 && await FindUndeterminedAsync(undetermined, author, organizational, record, cancellationToken).ConfigureAwait(false) is { } pendingDomain)
        {
            // RFC 9989 5.3.6: a DNS query this validation needed (the SPF or DKIM key lookup of an identifier
            // that would align) did not complete, so the message can be considered neither to pass nor to fail.
            code = DmarcResultCode.TempError;
            reason = $"no aligned pass, and the check of {pendingDomain}, which would align, ended in a DNS error (RFC 9989 5.3.6)";
        }
        else
        {
            code = DmarcResultCode.Fail;
            reason = spfDomain is null && dkimDomains.Count == 0 ? "no passing SPF or DKIM identifier" : "no aligned identifier";
        }

        // RFC 9989 §4.10.1: p for the Author Domain's own record; sp for an existing subdomain; np for a
        // non-existent one. RFC 7489 §6.6.3: p or sp.
        DmarcPolicySource source;
        DmarcPolicy policy;
        if (discovery.PolicyDomain == author)
        {
            (source, policy) = (DmarcPolicySource.P, record.Policy);
        }
        else if (existence == DomainExistence.DoesNotExist)
        {
            (source, policy) = (DmarcPolicySource.Np, record.NonExistentPolicy);
        }
        else
        {
            (source, policy) = (DmarcPolicySource.Sp, record.SubdomainPolicy);
            if (existence == DomainExistence.Unknown && code == DmarcResultCode.Fail)
            {
                code = DmarcResultCode.TempError;
                reason = $"sp or np unknown: existence test failed ({existenceDetail})";
            }
        }

        var effective = policy;
        if (mode == DmarcMode.Rfc9989 && record.TestMode)
        {
            effective = Downgrade(policy); // RFC 9989 §4.7 t=y: one level below the policy
        }
        else if (mode == DmarcMode.Rfc7489 && code == DmarcResultCode.Fail && record.Percent < 100 && !_evaluator.Sampler.IsSelected(record.Percent))
        {
            effective = Downgrade(policy); // RFC 7489 §6.6.4: not sampled, so the next less strict policy
            reason += $"; not selected by pct={record.Percent}";
        }

        var disposition = code == DmarcResultCode.Fail ? (DmarcDisposition)effective : DmarcDisposition.None;
        return new DmarcResult(code, author, policy, source, effective, disposition, discovery.PolicyDomain, organizational,
            spfAligned, dkimAligned, alignedDkim, record.TestMode, mode, reason);
    }

    private async ValueTask<Alignment> AlignAsync(string identifier, string author, string? authorOrganizational, DmarcAlignmentMode alignmentMode, CancellationToken cancellationToken)
    {
        if (identifier == author)
        {
            return Alignment.Aligned; // identical: strict, and relaxed too
        }

        if (alignmentMode == DmarcAlignmentMode.Strict)
        {
            return Alignment.NotAligned;
        }

        if (authorOrganizational is null)
        {
            return Alignment.Unknown;
        }

        // The identifier's Organizational Domain is itself or an ancestor, so it can only equal the
        // author's when it lies at or below it: no Tree Walk is needed (or made) for foreign domains.
        if (!DmarcDomainName.IsSameOrBelow(identifier, authorOrganizational))
        {
            return Alignment.NotAligned;
        }

        var organizational = await _evaluator.Discovery.FindOrganizationalDomainAsync(identifier, _lookup, cancellationToken).ConfigureAwait(false);
        return organizational.Domain is null ? Alignment.Unknown
            : organizational.Domain == authorOrganizational ? Alignment.Aligned
            : Alignment.NotAligned;
    }

    /// <summary>The first identifier whose check ended in a DNS error and that would align (or whose alignment is unknown), else null.</summary>
    private async ValueTask<string?> FindUndeterminedAsync(
        UndeterminedIdentifiers undetermined, string author, string? organizational, DmarcRecord record, CancellationToken cancellationToken)
    {
        if (undetermined.Spf is { } spf
            && await AlignAsync(spf, author, organizational, record.SpfAlignment, cancellationToken).ConfigureAwait(false) != Alignment.NotAligned)
        {
            return spf;
        }

        for (var i = 0; i < undetermined.Dkim.Count; i++)
        {
            var d = undetermined.Dkim[i];
            if (await AlignAsync(d, author, organizational, record.DkimAlignment, cancellationToken).ConfigureAwait(false) != Alignment.NotAligned)
            {
                return d;
            }
        }

        return null;
    }

    private static DmarcPolicy Downgrade(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => DmarcPolicy.Quarantine,
        _ => DmarcPolicy.None,
    };

    /// <summary>RFC 9989 §11.5: with several Author Domains the strictest outcome wins; pass only if all pass.</summary>
    private static int Severity(DmarcResult result) => result.Code switch
    {
        DmarcResultCode.Fail => 4 + (int)result.Disposition,
        DmarcResultCode.TempError => 3,
        DmarcResultCode.PermError => 2,
        DmarcResultCode.None => 1,
        _ => 0,
    };

    private enum Alignment
    {
        NotAligned,
        Aligned,
        Unknown,
    }

    /// <summary>The SPF (MAIL FROM) and DKIM (d=) identifiers whose checks ended in temperror.</summary>
    private sealed record UndeterminedIdentifiers(string? Spf, IReadOnlyList<string> Dkim)
    {
        public static UndeterminedIdentifiers Nothing { get; } = new(null, []);
    }

    private sealed record DomainDiscovery(DmarcPolicyDiscovery Discovery, DomainExistence Existence, string? ExistenceDetail);
}
