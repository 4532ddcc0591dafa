using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Filter.Engine.AuthResults;
using Filter.Engine.Pipeline;
using Filter.Host.Metrics;
using Filter.Host.Recording;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Glue;

/// <summary>
/// One SMTP session's glue between the milter and the engine: each message gets a
/// <see cref="MessageAuthenticator"/> from the engine current at MAIL FROM (a reload mid-message does
/// not touch it), is fed client, HELO, envelope, each header raw, end of headers and body chunks as
/// they arrive, and at end of message its outcome becomes milter responses
/// (<see cref="MilterOutcomeWriter"/>). The authenticator turns its own bugs into the engine-error
/// verdict; a bug in this glue is caught here, logged with EventId 1001 and answered with the same
/// policy action. The session and the daemon go on either way. When the policy records (issue 6 item 6),
/// a sampled message also gets a <see cref="MessageRecording"/>: its own recording resolver and a copy of
/// what the engine is fed; with recording off <paramref name="recorder"/> answers null and nothing else runs.
/// </summary>
internal sealed class AuthenticationMilterHandler(
    Func<MessageAuthenticationEngine> currentEngine,
    FilterMetrics metrics,
    ILogger logger,
    MessageRecorder? recorder = null) : IMilterHandler
{
    private MessageAuthenticationEngine? _engine;
    private MessageAuthenticator? _message;
    private MessageRecording? _recording;
    private string _mailFrom = string.Empty;
    private string _client = "-";
    private Exception? _failure;

    // The client as the engine and the log line see it, kept for the session: CONNECT comes once,
    // and {auth_authen} rarely changes between messages, so a message usually reuses both.
    private ConnectCommand? _connectSeen;
    private ClientConnection? _clientConnection;
    private string _clientText = "-";
    private string _failureStage = string.Empty;

    public ValueTask<MilterDecision> OnMailAsync(MailCommand mail, MilterContext context, CancellationToken cancellationToken)
    {
        ResetMessage();
        _engine = currentEngine();
        _mailFrom = mail.Address;
        try
        {
            ClientConnection client = Client(context);
            _client = _clientText;
            _recording = recorder?.TryStart(_engine, client, context.Helo ?? string.Empty, mail.Sender);
            _message = _recording is null ? _engine.StartMessage() : _engine.StartMessage(_recording.Resolver);
            _message.QueueId = context.Macros["i"];
            _message.OnConnect(client);
            _message.OnHelo(context.Helo ?? string.Empty);
            _message.OnMailFrom(mail.Sender, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Fail("mail", exception);
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnRecipientAsync(RecipientCommand recipient, MilterContext context, CancellationToken cancellationToken)
    {
        _message?.OnRecipient(recipient.Address);
        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken)
    {
        if (_message is null)
        {
            return ValueTask.FromResult(MilterDecision.Continue);
        }

        _recording?.OnHeader(header.Name, header.RawValue.Span, context.Negotiation.HeaderLeadingSpace);
        if (context.Negotiation.HeaderLeadingSpace)
        {
            _message.OnHeader(header.Name, header.RawValue.Span);
            return ValueTask.FromResult(MilterDecision.Continue);
        }

        // Without SMFIP_HDR_LEADSPC the MTA removed one SP after the colon (reference §8.1); put it
        // back, since "Name: value" is how nearly every field is written, so that DKIM simple header
        // canonicalization (RFC 6376 §3.4.1) sees the likely original bytes.
        int length = header.RawValue.Length + 1;
        byte[] value = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            value[0] = (byte)' ';
            header.RawValue.Span.CopyTo(value.AsSpan(1));
            _message.OnHeader(header.Name, value.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(value);
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnEndOfHeadersAsync(MilterContext context, CancellationToken cancellationToken)
    {
        _message?.OnEndOfHeaders(cancellationToken);
        _recording?.OnEndOfHeaders();
        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnBodyChunkAsync(ReadOnlySequence<byte> chunk, MilterContext context, CancellationToken cancellationToken)
    {
        if (_message is not null)
        {
            foreach (ReadOnlyMemory<byte> segment in chunk)
            {
                _message.OnBodyChunk(segment.Span);
            }

            _recording?.OnBodyChunk(chunk);
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public async ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        MessageAuthenticationEngine engine = _engine ?? currentEngine();
        // Postfix sends {i} with DATA or end of message at the latest.
        string queueId = context.Macros["i"] ?? _message?.QueueId ?? "-";
        try
        {
            AuthenticationOutcome? outcome = null;
            MilterMessageOutcome answer;
            if (_message is not null && _failure is null)
            {
                try
                {
                    _message.QueueId = queueId;
                    outcome = await _message.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    answer = MilterOutcomeWriter.ToMilter(outcome, context.Negotiation.HeaderLeadingSpace);
                    _recording?.Complete(queueId, _message.Recipients, outcome);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail("eom", exception);
                    answer = MilterOutcomeWriter.ToMilter(VerdictRules.EngineError(engine.Policy, Domain(_mailFrom)));
                }
            }
            else
            {
                // MAIL never reached us (or starting the message failed): nothing was judged.
                Fail("eom", new InvalidOperationException("end of message without a started message"));
                answer = MilterOutcomeWriter.ToMilter(VerdictRules.EngineError(engine.Policy, Domain(_mailFrom)));
            }

            AuthenticationVerdict verdict = _failure is null ? outcome!.Verdict : VerdictRules.EngineError(engine.Policy, Domain(_mailFrom));
            if (_failure is not null)
            {
                HostLog.EngineError(logger, queueId, _client, _failureStage, verdict.Word, _failure);
            }

            if (_failure is not null || outcome!.IsEngineError)
            {
                metrics.EngineError();
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            metrics.MessageJudged(verdict.Word, seconds);
            if (_failure is null)
            {
                CountResults(outcome!);
            }

            // The summary line's results text is built only when the line is written.
            if (logger.IsEnabled(LogLevel.Information))
            {
                HostLog.MessageJudged(logger, queueId, _client, context.Helo ?? "-", _mailFrom.Length == 0 ? "<>" : _mailFrom,
                    _failure is null ? Results(outcome!) : "-", verdict.Word, verdict.Reason, Math.Round(seconds * 1000, 3));
            }

            return answer;
        }
        finally
        {
            ResetMessage();
        }
    }

    public ValueTask OnAbortAsync(MilterContext context, CancellationToken cancellationToken)
    {
        ResetMessage();
        return ValueTask.CompletedTask;
    }

    public ValueTask OnCloseAsync(MilterContext context, CancellationToken cancellationToken)
    {
        ResetMessage();
        metrics.SessionClosed();
        return ValueTask.CompletedTask;
    }

    // CONNECT gives the address; {auth_authen} comes with MAIL (Postfix and Sendmail defaults, §6.5/§6.6).
    private ClientConnection Client(MilterContext context)
    {
        // Long macro names travel in braces; the bare form is accepted too.
        string? user = context.Macros["{auth_authen}"] ?? context.Macros["auth_authen"];
        user = string.IsNullOrEmpty(user) ? null : user;
        if (_clientConnection is not null && ReferenceEquals(_connectSeen, context.Connect)
            && string.Equals(_clientConnection.AuthenticatedUser, user, StringComparison.Ordinal))
        {
            return _clientConnection;
        }

        IPAddress? address = null;
        string? hostName = null;
        if (context.Connect is { } connect)
        {
            connect.TryGetIPAddress(out address);
            hostName = connect.HostName.Length == 0 || connect.HostName == "unknown" ? null : connect.HostName;
        }

        // A local (Unix-socket or pipe) client has no IP address; it is this host, so SPF and the
        // trusted-network rule see the loopback address (Postfix itself reports 127.0.0.1 for
        // mail submitted with the sendmail command).
        var client = new ClientConnection(address ?? IPAddress.Loopback, hostName, user);
        if (!ReferenceEquals(_connectSeen, context.Connect) || _clientConnection is null)
        {
            _clientText = client.HostName is null ? client.Address.ToString() : client.HostName + "[" + client.Address + "]";
        }

        _connectSeen = context.Connect;
        _clientConnection = client;
        return client;
    }

    private static string? Domain(string mailFrom)
    {
        int at = mailFrom.LastIndexOf('@');
        return at >= 0 && at < mailFrom.Length - 1 ? mailFrom[(at + 1)..] : null;
    }

    private void CountResults(AuthenticationOutcome outcome)
    {
        if (outcome.Spf is { } spf)
        {
            metrics.ResultWritten("spf", spf.ResultWord);
        }

        if (outcome.SpfHelo is { } helo)
        {
            metrics.ResultWritten("spf", helo.ResultWord);
        }

        foreach (var signature in outcome.Dkim)
        {
            metrics.ResultWritten("dkim", OutcomeSummary.DkimWord(signature.Code));
        }

        if (outcome.Dmarc is { } dmarc)
        {
            metrics.ResultWritten("dmarc", VerdictRules.Word(dmarc.Code));
        }
    }

    // "spf=pass dkim=pass(example.com) dmarc=pass(example.com)" for the summary line, written into a
    // rented buffer: the text is the only allocation (it was a StringBuilder and its chunk as well).
    private static string Results(AuthenticationOutcome outcome)
    {
        var line = new PooledCharBuilder(128);
        try
        {
            if (outcome.Spf is { } spf)
            {
                line.Append("spf=");
                line.Append(spf.ResultWord);
            }

            if (outcome.SpfHelo is { } helo)
            {
                Separate(ref line);
                line.Append("spf.helo=");
                line.Append(helo.ResultWord);
            }

            IReadOnlyList<Filter.Engine.Dkim.DkimSignatureResult> dkim = outcome.Dkim;
            for (int i = 0; i < dkim.Count; i++)
            {
                Separate(ref line);
                line.Append("dkim=");
                line.Append(OutcomeSummary.DkimWord(dkim[i].Code));
                if (dkim[i].Domain.Length > 0)
                {
                    line.Append('(');
                    line.Append(dkim[i].Domain);
                    line.Append(')');
                }
            }

            if (outcome.Dmarc is { } dmarc)
            {
                Separate(ref line);
                line.Append("dmarc=");
                line.Append(VerdictRules.Word(dmarc.Code));
                if (dmarc.AuthorDomain is not null)
                {
                    line.Append('(');
                    line.Append(dmarc.AuthorDomain);
                    line.Append(')');
                }
            }

            return line.ToString();
        }
        finally
        {
            line.Dispose();
        }

        static void Separate(ref PooledCharBuilder line)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }
        }
    }

    private void Fail(string stage, Exception exception)
    {
        _failure ??= exception;
        if (_failureStage.Length == 0)
        {
            _failureStage = stage;
        }
    }

    private void ResetMessage()
    {
        _message?.Dispose();
        _message = null;
        _recording?.Dispose();
        _recording = null;
        _engine = null;
        _mailFrom = string.Empty;
        _client = "-";
        _failure = null;
        _failureStage = string.Empty;
    }
}
