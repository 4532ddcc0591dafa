using System.Text;
using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Message;
using Filter.Engine.Policy;
using Filter.Engine.Spf;

namespace Filter.Host.Glue;

/// <summary>
/// One message through the engine's checks (DESIGN.md "One message"): SPF starts at MAIL FROM,
/// DKIM hashes the body as it streams, DMARC discovery starts at end of headers, and everything
/// is joined at end of message into results, our header, the forged headers to delete and a
/// verdict under the policy the message started with.
/// </summary>
internal sealed class EngineMessageCheck : IMessageCheck
{
    private readonly EngineMessageCheckFactory _engine;
    private readonly MessageEnvelope _envelope;
    private readonly Task<SpfResult>? _spf;
    private readonly DkimVerificationSession _dkim;
    private readonly List<string> _fromValues = new(1);
    private readonly List<HeaderOccurrence> _deletions = [];
    private int _authResultsSeen;
    private int _tagSeen;
    private DmarcEvaluation? _dmarc;

    public EngineMessageCheck(EngineMessageCheckFactory engine, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        _engine = engine;
        _envelope = envelope;
        // RFC 7208 §2.4: the MAIL FROM identity (postmaster@HELO for the null sender), checked as
        // soon as it is known so the lookups overlap the rest of the transaction.
        if (envelope.ClientAddress is not null)
        {
            _spf = engine.Spf.CheckMailFromAsync(envelope.ClientAddress, envelope.Helo, envelope.MailFrom, cancellationToken).AsTask();
        }

        _dkim = engine.Dkim.StartSession();
    }

    public void OnRecipient(string recipient)
    {
        // Recipients do not change SPF, DKIM or DMARC; the seam carries them for per-recipient policy.
    }

    public void OnHeader(string name, ReadOnlySpan<byte> rawValue)
    {
        _dkim.OnHeader(name, rawValue);
        if (name.Equals("From", StringComparison.OrdinalIgnoreCase))
        {
            _fromValues.Add(Encoding.Latin1.GetString(rawValue));
        }
        else if (name.Equals(AuthenticationResultsFormatter.FieldName, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 8601 §5: a header that claims our authserv-id did not come from us; delete it by
            // its occurrence among Authentication-Results headers as received (milter reference §8.3).
            _authResultsSeen++;
            if (_engine.Ownership.Classify(Encoding.Latin1.GetString(rawValue)).MustRemove)
            {
                _deletions.Add(new HeaderOccurrence(AuthenticationResultsFormatter.FieldName, _authResultsSeen));
            }
        }
        else if (name.Equals(_engine.Policy.Actions.TagHeader, StringComparison.OrdinalIgnoreCase))
        {
            // An incoming copy of our tag header is forged like a foreign A-R claiming our name.
            _tagSeen++;
            _deletions.Add(new HeaderOccurrence(_engine.Policy.Actions.TagHeader, _tagSeen));
        }
    }

    public void OnEndOfHeaders(CancellationToken cancellationToken)
    {
        _dkim.OnEndOfHeaders(cancellationToken);
        _dmarc = _engine.Dmarc.Start(AuthorDomainExtractor.Extract(_fromValues), cancellationToken);
    }

    public void OnBodyChunk(ReadOnlySpan<byte> chunk) => _dkim.OnBodyChunk(chunk);

    public async Task<MessageCheckOutcome> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_dmarc is null)
        {
            OnEndOfHeaders(cancellationToken);
        }

        SpfResult? spf = _spf is null ? null : await _spf.ConfigureAwait(false);
        IReadOnlyList<DkimSignatureResult> dkim = await _dkim.CompleteAsync(cancellationToken).ConfigureAwait(false);
        DmarcResult dmarc = await _dmarc!.EvaluateAsync(spf, dkim, cancellationToken).ConfigureAwait(false);

        var results = new List<MethodResult>(2 + dkim.Count);
        if (spf is not null)
        {
            results.Add(MethodResults.FromSpf(spf));
        }

        if (dkim.Count == 0)
        {
            results.Add(MethodResults.FromDkim(DkimSignatureResult.NoSignature));
        }

        foreach (DkimSignatureResult signature in dkim)
        {
            results.Add(MethodResults.FromDkim(signature));
        }

        MessageVerdict verdict = Decide(spf, dmarc, out HeaderOccurrenceValue? tag);
        results.Add(MethodResults.ForDmarc(
            DmarcWord(dmarc.Code),
            dmarc.AuthorDomain,
            PolicyWord(dmarc.EffectivePolicy),
            dmarc.Code == DmarcResultCode.Fail ? DispositionWord(verdict.Kind) : null,
            dmarc.Reason));
        string value = _engine.Formatter.Format(results);
        return new MessageCheckOutcome(results, value, _deletions, tag, verdict);
    }

    public void Dispose() => _dkim.Dispose();

    private MessageVerdict Decide(SpfResult? spf, DmarcResult dmarc, out HeaderOccurrenceValue? tag)
    {
        tag = null;
        FilterPolicy policy = _engine.Policy;
        if (_envelope.AuthenticatedUser is not null && policy.Trust.BypassAuthenticated)
        {
            return MessageVerdict.Accept("authenticated client " + _envelope.AuthenticatedUser);
        }

        if (_envelope.ClientAddress is not null && policy.Trust.IsTrustedNetwork(_envelope.ClientAddress))
        {
            return MessageVerdict.Accept("trusted network");
        }

        string domain = dmarc.AuthorDomain ?? "unknown";
        if (dmarc.Code is DmarcResultCode.Fail or DmarcResultCode.PermError)
        {
            if (dmarc.Disposition == DmarcDisposition.Reject)
            {
                switch (policy.Actions.DmarcReject)
                {
                    case DmarcRejectAction.Reject:
                        return new MessageVerdict(MessageVerdictKind.Reject, policy.Replies.DmarcReject.Format(domain, dmarc.Reason), "dmarc=fail p=reject " + domain);
                    case DmarcRejectAction.Quarantine:
                        return new MessageVerdict(MessageVerdictKind.Quarantine, null, "dmarc=fail p=reject " + domain + ": " + dmarc.Reason);
                    default:
                        tag = new HeaderOccurrenceValue(policy.Actions.TagHeader, "reject; dmarc=fail header.from=" + domain);
                        return MessageVerdict.Accept("dmarc=fail p=reject, tagged");
                }
            }

            if (dmarc.Disposition == DmarcDisposition.Quarantine)
            {
                switch (policy.Actions.DmarcQuarantine)
                {
                    case DmarcQuarantineAction.Quarantine:
                        return new MessageVerdict(MessageVerdictKind.Quarantine, null, "dmarc=fail p=quarantine " + domain + ": " + dmarc.Reason);
                    case DmarcQuarantineAction.Tag:
                        tag = new HeaderOccurrenceValue(policy.Actions.TagHeader, "quarantine; dmarc=fail header.from=" + domain);
                        return MessageVerdict.Accept("dmarc=fail p=quarantine, tagged");
                    default:
                        return MessageVerdict.Accept("dmarc=fail p=quarantine, accepted by policy");
                }
            }
        }

        if (dmarc.Code == DmarcResultCode.TempError && policy.Actions.Temperror == TemporaryFailureAction.Tempfail)
        {
            return new MessageVerdict(MessageVerdictKind.TempFail, policy.Replies.Tempfail.Format(domain, dmarc.Reason), "dmarc=temperror " + domain + ": " + dmarc.Reason);
        }

        // RFC 7208 §8.4: rejecting on SPF fail alone is a local choice, off by default.
        if (spf is { Code: SpfResultCode.Fail } && policy.Spf.OnFail == SpfFailAction.Reject && dmarc.Code != DmarcResultCode.Pass)
        {
            return new MessageVerdict(MessageVerdictKind.Reject, policy.Replies.SpfReject.Format(spf.Domain, spf.Reason), "spf=fail " + spf.Domain);
        }

        return MessageVerdict.Accept("dmarc=" + DmarcWord(dmarc.Code).Name);
    }

    private static AuthResultWord DmarcWord(DmarcResultCode code) => code switch
    {
        DmarcResultCode.Pass => AuthResultWord.Pass,
        DmarcResultCode.Fail => AuthResultWord.Fail,
        DmarcResultCode.TempError => AuthResultWord.TempError,
        DmarcResultCode.PermError => AuthResultWord.PermError,
        _ => AuthResultWord.None,
    };

    private static DmarcPolicyWord? PolicyWord(DmarcPolicy? policy) => policy switch
    {
        DmarcPolicy.None => DmarcPolicyWord.None,
        DmarcPolicy.Quarantine => DmarcPolicyWord.Quarantine,
        DmarcPolicy.Reject => DmarcPolicyWord.Reject,
        _ => null,
    };

    // RFC 9989 §10 (disposition): what this receiver actually did with the failing message.
    private static DmarcPolicyWord DispositionWord(MessageVerdictKind kind) => kind switch
    {
        MessageVerdictKind.Reject => DmarcPolicyWord.Reject,
        MessageVerdictKind.Quarantine => DmarcPolicyWord.Quarantine,
        _ => DmarcPolicyWord.None,
    };
}
