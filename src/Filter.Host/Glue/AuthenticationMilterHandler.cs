using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using Filter.Engine.AuthResults;
using Filter.Engine.Policy;
using Filter.Host.Metrics;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Glue;

/// <summary>
/// One SMTP session's glue between the milter and the engine: each message gets an
/// <see cref="IMessageCheck"/> from the policy current at MAIL FROM (a reload mid-message does not
/// touch it), is fed envelope, headers and body as they arrive, and at end of message its outcome
/// becomes milter responses (<see cref="MilterOutcomeWriter"/>). Any exception from the check is
/// a bug: it is logged with EventId 1001 and the message gets the policy's engine-error action;
/// the session and the daemon go on.
/// </summary>
internal sealed class AuthenticationMilterHandler(
    Func<IMessageCheckFactory> currentFactory,
    FilterMetrics metrics,
    ILogger logger) : IMilterHandler
{
    private IMessageCheckFactory? _factory;
    private IMessageCheck? _check;
    private MessageEnvelope? _envelope;
    private Exception? _failure;
    private string _failureStage = string.Empty;

    public ValueTask<MilterDecision> OnMailAsync(MailCommand mail, MilterContext context, CancellationToken cancellationToken)
    {
        ResetMessage();
        _factory = currentFactory();
        IPAddress? address = null;
        string clientName = "unknown";
        if (context.Connect is { } connect)
        {
            connect.TryGetIPAddress(out address);
            clientName = connect.HostName;
        }

        // Long macro names travel in braces ({auth_authen}); the bare form is accepted too.
        string? user = context.Macros["{auth_authen}"] ?? context.Macros["auth_authen"];
        _envelope = new MessageEnvelope(
            address,
            clientName,
            context.Helo,
            mail.Address,
            context.Macros["i"],
            string.IsNullOrEmpty(user) ? null : user);
        Guard("mail", () => _check = _factory.Start(_envelope, cancellationToken));
        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnRecipientAsync(RecipientCommand recipient, MilterContext context, CancellationToken cancellationToken)
    {
        if (_check is not null && _failure is null)
        {
            Guard("rcpt", () => _check.OnRecipient(recipient.Address));
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken)
    {
        if (_check is not null && _failure is null)
        {
            try
            {
                if (context.Negotiation.HeaderLeadingSpace)
                {
                    _check.OnHeader(header.Name, header.RawValue.Span);
                }
                else
                {
                    // Without SMFIP_HDR_LEADSPC the MTA removed one SP after the colon (reference
                    // §8.1); put it back, as "Name: value" is how nearly every field is written, so
                    // that DKIM simple header canonicalization sees the likely original bytes.
                    byte[] value = ArrayPool<byte>.Shared.Rent(header.RawValue.Length + 1);
                    try
                    {
                        value[0] = (byte)' ';
                        header.RawValue.Span.CopyTo(value.AsSpan(1));
                        _check.OnHeader(header.Name, value.AsSpan(0, header.RawValue.Length + 1));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(value);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Fail("header", exception);
            }
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnEndOfHeadersAsync(MilterContext context, CancellationToken cancellationToken)
    {
        if (_check is not null && _failure is null)
        {
            Guard("eoh", () => _check.OnEndOfHeaders(cancellationToken));
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterDecision> OnBodyChunkAsync(ReadOnlySequence<byte> chunk, MilterContext context, CancellationToken cancellationToken)
    {
        if (_check is not null && _failure is null)
        {
            try
            {
                foreach (ReadOnlyMemory<byte> segment in chunk)
                {
                    _check.OnBodyChunk(segment.Span);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Fail("body", exception);
            }
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public async ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        IMessageCheckFactory factory = _factory ?? currentFactory();
        MessageEnvelope envelope = _envelope ?? new MessageEnvelope(null, context.Connect?.HostName ?? "unknown", context.Helo, string.Empty, null, null);

        // The queue id is usually only known by end of message (Postfix sends {i} with DATA or EOM).
        string queueId = context.Macros["i"] ?? envelope.QueueId ?? "-";
        try
        {
            MessageCheckOutcome? outcome = null;
            if (_check is null && _failure is null)
            {
                // MAIL was negotiated away or never came: nothing to judge against.
                Fail("eom", new InvalidOperationException("End of message without MAIL FROM."));
            }

            if (_failure is null)
            {
                try
                {
                    outcome = await _check!.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Fail("eom", exception);
                }
            }

            bool leadingSpace = context.Negotiation.HeaderLeadingSpace;
            MilterMessageOutcome answer;
            MessageVerdict verdict;
            string results;
            if (outcome is not null)
            {
                verdict = outcome.Verdict;
                answer = MilterOutcomeWriter.ToMilter(outcome, leadingSpace);
                results = Summarize(outcome.Results);
            }
            else
            {
                verdict = EngineErrorVerdict(factory.Policy, envelope);
                answer = MilterOutcomeWriter.ToMilter(verdict);
                results = "none";
                metrics.EngineError();
                HostLog.EngineError(logger, queueId, Client(envelope), _failureStage, verdict.Word, _failure!);
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            metrics.MessageJudged(verdict.Word, seconds);
            HostLog.MessageJudged(logger, queueId, Client(envelope), envelope.Helo ?? "-", envelope.MailFrom.Length == 0 ? "<>" : envelope.MailFrom,
                results, verdict.Word, verdict.Reason, Math.Round(seconds * 1000, 3));
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

    private static MessageVerdict EngineErrorVerdict(FilterPolicy policy, MessageEnvelope envelope)
    {
        if (policy.Actions.EngineError == TemporaryFailureAction.Accept)
        {
            return MessageVerdict.Accept("internal error, accepted by actions.engine-error");
        }

        int at = envelope.MailFrom.LastIndexOf('@');
        string domain = at >= 0 ? envelope.MailFrom[(at + 1)..] : "this message";
        return new MessageVerdict(MessageVerdictKind.TempFail, policy.Replies.Tempfail.Format(domain, "internal error"), "internal error");
    }

    private string Summarize(IReadOnlyList<MethodResult> results)
    {
        var builder = new StringBuilder(64);
        foreach (MethodResult result in results)
        {
            metrics.ResultWritten(result.Method.Name, result.Result.Name);
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(result.Method.Name).Append('=').Append(result.Result.Name);
            string? domain = result.GetProperty(PropertyType.Header, "d") ?? result.GetProperty(PropertyType.Header, "from")
                ?? result.GetProperty(PropertyType.Smtp, "mailfrom") ?? result.GetProperty(PropertyType.Smtp, "helo");
            if (domain is not null)
            {
                builder.Append('(').Append(domain).Append(')');
            }
        }

        return builder.ToString();
    }

    private static string Client(MessageEnvelope envelope) =>
        envelope.ClientAddress is null ? envelope.ClientName : envelope.ClientName + "[" + envelope.ClientAddress + "]";

    private void Guard(string stage, Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Fail(stage, exception);
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
        _check?.Dispose();
        _check = null;
        _factory = null;
        _envelope = null;
        _failure = null;
        _failureStage = string.Empty;
    }
}
