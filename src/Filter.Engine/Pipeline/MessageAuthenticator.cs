using System.Text;
using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Message;
using Filter.Engine.Spf;
using Microsoft.Extensions.Logging;

namespace Filter.Engine.Pipeline;

/// <summary>
/// One message's life (DESIGN.md "One message, from the MTA to a verdict"), fed in milter order:
/// <see cref="OnConnect"/>, <see cref="OnHelo"/>, <see cref="OnMailFrom"/> (the SPF check starts here, as a
/// task), <see cref="OnRecipient"/>, <see cref="OnHeader"/> for each field as received,
/// <see cref="OnEndOfHeaders"/> (DKIM key lookups and DMARC policy discovery start; forged
/// Authentication-Results are marked), <see cref="OnBodyChunk"/> (streamed into the DKIM hashers, never
/// buffered), then <see cref="CompleteAsync"/> for the <see cref="AuthenticationOutcome"/>.
/// </summary>
/// <remarks>
/// Untrusted input gives result values. An exception thrown inside any step is a bug: it is kept, later
/// steps do nothing, and <see cref="CompleteAsync"/> returns the configured engine-error verdict with a
/// log line (EventId 1601). Cancellation of the token is never turned into a verdict; it propagates.
/// Not thread-safe: the milter feeds one message from one task.
/// </remarks>
public sealed class MessageAuthenticator : IRawMessageSink, IDisposable
{
    private const string AuthenticationResultsName = AuthenticationResultsFormatter.FieldName;

    private readonly MessageAuthenticationEngine _engine;
    private readonly SpfEvaluator _spfEvaluator;
    private readonly DmarcEvaluator _dmarcEvaluator;
    private readonly DkimVerificationSession _dkim;
    private readonly long _started;
    // Sized for the usual message (one From, one recipient): no regrowth on the first Add.
    private readonly List<string> _fromValues = new(1);
    private readonly List<HeaderDeletion> _deletions = [];
    private readonly List<string> _recipients = new(1);
    private ClientConnection? _client;
    private string _helo = string.Empty;
    private string? _mailFromDomain;
    private Task<SpfResult>? _spf;
    private Task<SpfResult>? _spfHelo;
    private DmarcEvaluation? _dmarc;
    private AuthorDomainResult? _author;
    private int _authenticationResultsSeen;
    private int _tagHeadersSeen;
    private Exception? _failure;

    internal MessageAuthenticator(MessageAuthenticationEngine engine, SpfEvaluator spf, DkimVerificationSession dkim, DmarcEvaluator dmarc)
    {
        _engine = engine;
        _spfEvaluator = spf;
        _dkim = dkim;
        _dmarcEvaluator = dmarc;
        _started = engine.TimeProvider.GetTimestamp();
    }

    /// <summary>The MTA's queue id (Postfix sends <c>{i}</c> from MAIL FROM or end of headers on); for the log only.</summary>
    public string? QueueId { get; set; }

    /// <summary>The envelope recipients fed so far.</summary>
    public IReadOnlyList<string> Recipients => _recipients;

    /// <summary>CONNECT (and {auth_authen} when known): who the client is.</summary>
    public void OnConnect(ClientConnection client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>HELO/EHLO.</summary>
    public void OnHelo(string helo) => _helo = helo ?? string.Empty;

    /// <summary>
    /// MAIL FROM: starts the SPF check of the MAIL FROM identity at once (postmaster@HELO for the null
    /// sender, RFC 7208 §2.4), and the HELO check when the policy (<c>spf.check-helo</c>) or the options ask for it (§2.3).
    /// </summary>
    public void OnMailFrom(string reversePath, CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            var client = _client ?? throw new InvalidOperationException("MAIL FROM before CONNECT: no client address for SPF");
            var path = Unbracket(reversePath ?? string.Empty);
            var at = path.LastIndexOf('@');
            _mailFromDomain = path.Length == 0 ? null : at < 0 ? path : path[(at + 1)..];
            _spf = CheckMailFromAsync(client, path, cancellationToken);
            if (_engine.CheckHelo && _helo.Length > 0)
            {
                _spfHelo = CheckHeloAsync(client, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _failure = exception;
        }
    }

    /// <summary>RCPT TO; recorded for the log and the offline tools (no check depends on it).</summary>
    public void OnRecipient(string recipient) => _recipients.Add(recipient);

    /// <summary>
    /// One header field: the name before the colon and the value bytes after it exactly as received.
    /// Authentication-Results fields naming our authserv-id (and copies of the tag header) are marked
    /// for deletion by their occurrence index (RFC 8601 §5).
    /// </summary>
    public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            _dkim.OnHeader(rawName, rawValue);
            var name = rawName.AsSpan().TrimEnd(" \t");
            if (name.Equals("From", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 6532 allows UTF-8 in From; the extractor turns U-labels into A-labels.
                _fromValues.Add(Encoding.UTF8.GetString(rawValue));
            }
            else if (name.Equals(AuthenticationResultsName, StringComparison.OrdinalIgnoreCase))
            {
                _authenticationResultsSeen++;
                // Latin-1 keeps one char per byte, so odd bytes stay visible to the ownership check.
                var classification = _engine.Ownership.Classify(Encoding.Latin1.GetString(rawValue));
                if (classification.MustRemove)
                {
                    _deletions.Add(new HeaderDeletion(AuthenticationResultsName, _authenticationResultsSeen, classification.Reason));
                }
            }
            else if (name.Equals(_engine.Policy.Actions.TagHeader, StringComparison.OrdinalIgnoreCase))
            {
                // A tag header that arrives with the message would pose as our verdict (OutcomeActions.TagHeader).
                _tagHeadersSeen++;
                _deletions.Add(new HeaderDeletion(_engine.Policy.Actions.TagHeader, _tagHeadersSeen, "arrived with the message"));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _failure = exception;
        }
    }

    /// <summary>End of headers: DKIM key lookups and DMARC policy discovery start now, in parallel.</summary>
    public void OnEndOfHeaders(CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            _dkim.OnEndOfHeaders(cancellationToken);
            _author = _engine.AuthorDomains.Extract(_fromValues);
            _dmarc = _dmarcEvaluator.Start(_author, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _failure = exception;
        }
    }

    /// <summary>One body chunk, in order; it goes through the DKIM hashers and is not kept.</summary>
    public void OnBodyChunk(ReadOnlySpan<byte> chunk)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            _dkim.OnBodyChunk(chunk);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _failure = exception;
        }
    }

    /// <summary>
    /// End of message: waits for SPF, DKIM and DMARC (usually answered by now), applies the policy and
    /// returns the results, the verdict and the header edits. Call once.
    /// </summary>
    public async Task<AuthenticationOutcome> CompleteAsync(CancellationToken cancellationToken)
    {
        SpfResult? spf = null;
        SpfResult? spfHelo = null;
        IReadOnlyList<DkimSignatureResult> dkim = [];
        DmarcResult? dmarc = null;
        AuthenticationVerdict? verdict = null;
        if (_failure is null)
        {
            try
            {
                if (_dmarc is null || _author is null)
                {
                    throw new InvalidOperationException("end of message before end of headers");
                }

                spf = _spf is null ? null : await _spf.WaitAsync(cancellationToken).ConfigureAwait(false);
                spfHelo = _spfHelo is null ? null : await _spfHelo.WaitAsync(cancellationToken).ConfigureAwait(false);
                dkim = await _dkim.CompleteAsync(cancellationToken).ConfigureAwait(false);
                dmarc = await _dmarc.EvaluateAsync(spf, dkim, cancellationToken).ConfigureAwait(false);
                var client = _client ?? throw new InvalidOperationException("end of message before CONNECT");
                verdict = VerdictRules.Decide(_engine.Policy, new VerdictInputs(client, _author, _mailFromDomain, spf, dmarc));
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                _failure = exception;
            }
        }

        if (_failure is not null)
        {
            verdict = VerdictRules.EngineError(_engine.Policy, _author?.Domain ?? _mailFromDomain);
            PipelineLog.EngineError(_engine.Logger, _failure, QueueId ?? "-", _client?.Address.ToString() ?? "-", verdict.Word);
            spf = spfHelo = null;
            dkim = [];
            dmarc = null;
        }

        var header = _engine.Formatter.Format(MethodList(_client, spf, spfHelo, dkim, dmarc, verdict!));
        var insertions = new List<HeaderInsertion>(2) { new(0, AuthenticationResultsName, header) };
        if (verdict!.Tag is { } tag)
        {
            insertions.Add(new HeaderInsertion(1, _engine.Policy.Actions.TagHeader, tag));
        }

        foreach (var deletion in _deletions)
        {
            if (deletion.Name == AuthenticationResultsName)
            {
                PipelineLog.ForgedHeaderRemoved(_engine.Logger, QueueId ?? "-", deletion.Occurrence, deletion.Reason);
            }
        }

        var elapsed = (long)_engine.TimeProvider.GetElapsedTime(_started).TotalMilliseconds;
        var outcome = new AuthenticationOutcome(spf, spfHelo, dkim, dmarc, verdict, HighestFirst(_deletions), insertions, header, elapsed)
        {
            IsEngineError = _failure is not null,
            QueueId = QueueId,
            Client = _client,
        };
        // The line is built only when it will be written (the daemon writes its own instead).
        if (_engine.Options.WriteSummaryLine && _engine.Logger.IsEnabled(LogLevel.Information))
        {
            PipelineLog.MessageJudged(_engine.Logger, OutcomeSummary.Format(outcome));
        }

        return outcome;
    }

    public void Dispose() => _dkim.Dispose();

    void IRawMessageSink.OnHeader(string rawName, ReadOnlySpan<byte> rawValue) => OnHeader(rawName, rawValue);

    void IRawMessageSink.OnEndOfHeaders(CancellationToken cancellationToken) => OnEndOfHeaders(cancellationToken);

    void IRawMessageSink.OnBodyChunk(ReadOnlySpan<byte> chunk) => OnBodyChunk(chunk);

    // Own async methods, so that even a synchronous throw inside the evaluator lands in the task and
    // becomes the engine-error verdict at end of message.
    private async Task<SpfResult> CheckMailFromAsync(ClientConnection client, string path, CancellationToken cancellationToken) =>
        await _spfEvaluator.CheckMailFromAsync(client.Address, _helo, path, cancellationToken).ConfigureAwait(false);

    private async Task<SpfResult> CheckHeloAsync(ClientConnection client, CancellationToken cancellationToken) =>
        await _spfEvaluator.CheckHeloAsync(client.Address, _helo, cancellationToken).ConfigureAwait(false);

    private static string Unbracket(string path)
    {
        var trimmed = path.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '<' && trimmed[^1] == '>' ? trimmed[1..^1] : trimmed;
    }

    private static List<MethodResult> MethodList(ClientConnection? client,
        SpfResult? spf, SpfResult? spfHelo, IReadOnlyList<DkimSignatureResult> dkim, DmarcResult? dmarc, AuthenticationVerdict verdict)
    {
        var results = new List<MethodResult>(dkim.Count + 4);
        // Recorded whether or not the policy bypasses authenticated submitters, so that a reader
        // downstream sees why a failing message was accepted (RFC 8601 §2.7.4).
        if (client is { IsAuthenticated: true })
        {
            results.Add(MethodResults.ForSmtpAuth(client.AuthenticatedUser!));
        }

        if (spf is not null)
        {
            results.Add(MethodResults.FromSpf(spf));
        }

        if (spfHelo is not null)
        {
            results.Add(MethodResults.FromSpf(spfHelo));
        }

        foreach (var signature in dkim)
        {
            results.Add(MethodResults.FromDkim(signature));
        }

        if (dmarc is not null)
        {
            results.Add(MethodResults.ForDmarc(Word(dmarc.Code), dmarc.AuthorDomain, PolicyWord(dmarc.EffectivePolicy), Applied(verdict), dmarc.Reason));
        }

        return results;
    }

    // RFC 7489 §11.2 / RFC 9989: the disposition comment says what we actually did.
    private static DmarcPolicyWord Applied(AuthenticationVerdict verdict) => verdict.Kind switch
    {
        VerdictKind.Reject => DmarcPolicyWord.Reject,
        VerdictKind.Quarantine => DmarcPolicyWord.Quarantine,
        _ => verdict.Tag is null ? DmarcPolicyWord.None : DmarcPolicyWord.Quarantine,
    };

    private static DmarcPolicyWord? PolicyWord(DmarcPolicy? policy) => policy switch
    {
        DmarcPolicy.None => DmarcPolicyWord.None,
        DmarcPolicy.Quarantine => DmarcPolicyWord.Quarantine,
        DmarcPolicy.Reject => DmarcPolicyWord.Reject,
        _ => null,
    };

    private static AuthResultWord Word(DmarcResultCode code) => code switch
    {
        DmarcResultCode.None => AuthResultWord.None,
        DmarcResultCode.Pass => AuthResultWord.Pass,
        DmarcResultCode.Fail => AuthResultWord.Fail,
        DmarcResultCode.TempError => AuthResultWord.TempError,
        DmarcResultCode.PermError => AuthResultWord.PermError,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown DMARC result"),
    };

    // Postfix re-counts after each delete; deleting the highest occurrence first keeps the others valid.
    private static IReadOnlyList<HeaderDeletion> HighestFirst(List<HeaderDeletion> deletions)
    {
        if (deletions.Count == 0)
        {
            return []; // the usual message: nothing forged, nothing to copy
        }

        var ordered = new List<HeaderDeletion>(deletions);
        ordered.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : b.Occurrence.CompareTo(a.Occurrence);
        });
        return ordered;
    }
}
