using System.Buffers;
using System.IO.Pipelines;
using Filter.Milter.Protocol;
using Microsoft.Extensions.Logging;

namespace Filter.Milter.Session;

/// <summary>
/// One milter connection: reads commands from the MTA in order, negotiates, keeps macros per
/// stage, drives an <see cref="IMilterHandler"/> per SMTP session and answers exactly where the
/// MTA expects an answer (milter reference §3, §4.5, §7.2). Several messages per connection,
/// ABORT, QUIT and QUIT_NC are handled; a malformed packet or an unknown command closes this
/// connection only, with a log line. Runs until the MTA quits or closes, a violation, a drain
/// request between messages, or cancellation.
/// </summary>
public sealed class MilterSession
{
    private static readonly MilterCapabilities s_none = new(MilterSteps.None, MilterSteps.None, MilterActionFlags.None, []);

    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly IMilterHandlerFactory _factory;
    private readonly MilterSessionInfo _info;
    private readonly MilterSessionOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly MilterMacros _macros = new();
    private readonly HeaderOccurrences _headerOccurrences = new();
    private readonly List<IMilterPacket> _batch = [];
    private byte[] _gathered = [];

    private MilterCapabilities _capabilities = s_none;
    private MilterNegotiation? _negotiation;
    private IMilterHandler? _handler;
    private MilterContext? _context;
    private bool _smtpSessionStarted;
    private bool _transactionOpen;
    private bool _handlerMessageClosed;
    private MilterDecision? _messageVerdict;
    private bool _replyPending;
    private volatile bool _draining;

    /// <summary>Creates a session over a transport; call <see cref="RunAsync"/> once.</summary>
    public MilterSession(IDuplexPipe transport, IMilterHandlerFactory factory, MilterSessionInfo info, MilterSessionOptions options, ILogger logger)
    {
        _reader = transport.Input;
        _writer = transport.Output;
        _factory = factory;
        _info = info;
        _options = options;
        _logger = logger;
    }

    /// <summary>The session's identity.</summary>
    public MilterSessionInfo Info => _info;

    /// <summary>
    /// Asks the session to end at the next message boundary: at once when no message is open,
    /// otherwise right after that message's final reply (or its abort).
    /// </summary>
    public void RequestDrain()
    {
        _draining = true;
        if (!_transactionOpen)
        {
            _reader.CancelPendingRead();
        }
    }

    /// <summary>Runs the session to its end. Never throws for the peer's faults; cancellation ends it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        MilterLog.SessionStarted(_logger, _info.SessionId, _info.RemoteEndPoint);
        string reason = "end of stream";
        try
        {
            reason = await ReadLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer reset or vanished: the same as an end of stream for us (§1).
            reason = "connection lost";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "cancelled";
        }
        finally
        {
            if (_transactionOpen && (reason.StartsWith("end of stream", StringComparison.Ordinal) || reason == "connection lost"))
            {
                MilterLog.LostMidMessage(_logger, _info.SessionId);
            }

            await EndSmtpSessionAsync().ConfigureAwait(false);
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _writer.CompleteAsync().ConfigureAwait(false);
            MilterLog.SessionEnded(_logger, _info.SessionId, reason);
        }
    }

    private async Task<string> ReadLoopAsync(CancellationToken cancellationToken)
    {
        // The token is watched once for the session, not registered and unregistered on every read:
        // its cancellation cancels the pending read, and a cancelled read then throws.
        using CancellationTokenRegistration watch = cancellationToken.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), _reader);
        while (true)
        {
            if (_draining && !_transactionOpen)
            {
                return "drained";
            }

            ReadResult result = await _reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                while (true)
                {
                    MilterFrameStatus status = MilterFrameReader.TryRead(ref buffer, _options.MaxPayloadLength, out MilterFrame frame, out MilterProtocolViolation? violation);
                    if (status == MilterFrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status == MilterFrameStatus.Invalid)
                    {
                        LogViolation(violation!);
                        return "protocol violation";
                    }

                    ValueTask<string?> processing = ProcessAsync(frame, cancellationToken);
                    string? close = processing.IsCompletedSuccessfully ? processing.Result : await processing.ConfigureAwait(false);
                    if (close is not null)
                    {
                        return close;
                    }
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty ? "end of stream" : "end of stream inside a packet";
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>
    /// Handles one frame; returns a reason to close, or null to go on. Completes synchronously
    /// (no state machine) whenever the handler does and the pipe takes the write at once, which
    /// is every step but a slow end of message: MACRO and HEADER, most of a message's packets,
    /// are filed without building a command object.
    /// </summary>
    private ValueTask<string?> ProcessAsync(in MilterFrame frame, CancellationToken cancellationToken)
    {
        if (_negotiation is not null)
        {
            if (frame.Code == (byte)MilterCommandCode.Macro)
            {
                _smtpSessionStarted = true;
                _macros.SetRaw(frame.Payload);
                return default;
            }

            if (frame.Code == (byte)MilterCommandCode.Header)
            {
                if (!MilterCommandParser.TrySplitHeader(frame.Payload, out string? name, out ReadOnlySequence<byte> value, out MilterProtocolViolation? headerViolation))
                {
                    LogViolation(headerViolation!);
                    return ValueTask.FromResult<string?>("protocol violation");
                }

                _smtpSessionStarted = true;
                _transactionOpen = true;
                return Continue(HeaderAsync(name!, value, cancellationToken));
            }
        }

        if (!MilterCommandParser.TryParse(frame, out MilterCommand? command, out MilterProtocolViolation? violation))
        {
            LogViolation(violation!);
            return ValueTask.FromResult<string?>("protocol violation");
        }

        if (command is NegotiateCommand offer)
        {
            return NegotiateAsync(offer, cancellationToken);
        }

        if (_negotiation is null)
        {
            LogViolation(new MilterProtocolViolation(MilterViolationKind.Unexpected, frame.Code, "command before option negotiation"));
            return ValueTask.FromResult<string?>("protocol violation");
        }

        _smtpSessionStarted = true;
        switch (command)
        {
            case MacroCommand macro:
                _macros.Set(macro);
                return default;
            case ConnectCommand connect:
                _macros.OnCommand(MilterCommandCode.Connect);
                _context!.Connect = connect;
                return Continue(StepAsync(MilterSteps.Connect, connect, messageLevel: false, cancellationToken));
            case HeloCommand helo:
                return Continue(HeloAsync(helo, cancellationToken));
            case MailCommand mail:
                return Continue(MailAsync(mail, cancellationToken));
            case RecipientCommand recipient:
                _macros.OnCommand(MilterCommandCode.Recipient);
                _transactionOpen = true;
                return Continue(StepAsync(MilterSteps.Recipient, recipient, messageLevel: true, cancellationToken));
            case DataCommand:
            case EndOfHeadersCommand:
            case BodyCommand:
                _transactionOpen = true;
                return Continue(StepAsync(MilterStepMap.StepOf(command.Code), command, messageLevel: true, cancellationToken));
            case EndOfMessageCommand endOfMessage:
                _transactionOpen = true;
                return Continue(EndOfMessageAsync(endOfMessage, cancellationToken));
            case UnknownCommand unknown:
                return Continue(StepAsync(MilterSteps.Unknown, unknown, messageLevel: false, cancellationToken));
            case AbortCommand:
                // Never answered; outside a transaction a no-op (§5.13).
                return Continue(EndMessageAsync(clearMacros: true));
            case QuitCommand:
                return ValueTask.FromResult<string?>("quit");
            case QuitNewConnectionCommand:
                return Continue(QuitNewConnectionAsync());
            default:
                // HEADER cannot get here: after negotiation it took the fast path above, before it was refused.
                LogViolation(new MilterProtocolViolation(MilterViolationKind.UnknownCode, frame.Code, "unhandled command"));
                return ValueTask.FromResult<string?>("protocol violation");
        }
    }

    /// <summary>A step that never closes the session: null ("go on") once it completes, without a state machine when it already has.</summary>
    private static ValueTask<string?> Continue(ValueTask step)
    {
        if (step.IsCompletedSuccessfully)
        {
            step.GetAwaiter().GetResult();
            return default;
        }

        return AwaitContinueAsync(step);
    }

    private static async ValueTask<string?> AwaitContinueAsync(ValueTask step)
    {
        await step.ConfigureAwait(false);
        return null;
    }

    private async ValueTask HeloAsync(HeloCommand helo, CancellationToken cancellationToken)
    {
        // A repeated HELO ends any open transaction (§3).
        await EndMessageAsync(clearMacros: true).ConfigureAwait(false);
        _macros.OnCommand(MilterCommandCode.Helo);
        _context!.Helo = helo.Name;
        await StepAsync(MilterSteps.Helo, helo, messageLevel: false, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask MailAsync(MailCommand mail, CancellationToken cancellationToken)
    {
        // A new MAIL starts a new transaction even without ABORT (Sendmail sends none after EOM, §5.5).
        // Its macros arrived just before it and must survive.
        await EndMessageAsync(clearMacros: false).ConfigureAwait(false);
        _macros.OnCommand(MilterCommandCode.Mail);
        _transactionOpen = true;
        await StepAsync(MilterSteps.Mail, mail, messageLevel: true, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask QuitNewConnectionAsync()
    {
        // Same socket, same negotiation, new SMTP session (§5.15).
        await EndSmtpSessionAsync().ConfigureAwait(false);
        StartSmtpSession();
        _smtpSessionStarted = false;
    }

    private async ValueTask<string?> NegotiateAsync(NegotiateCommand offer, CancellationToken cancellationToken)
    {
        if (_smtpSessionStarted)
        {
            LogViolation(new MilterProtocolViolation(MilterViolationKind.Unexpected, (byte)MilterCommandCode.Negotiate, "option negotiation in the middle of a session"));
            return "protocol violation";
        }

        MilterCapabilities capabilities = _factory.Capabilities;
        if (!MilterNegotiator.TryNegotiate(offer, capabilities, out MilterNegotiation? negotiation, out NegotiateResponse? reply, out MilterActionFlags dropped, out MilterProtocolViolation? violation))
        {
            LogViolation(violation!);
            return "protocol violation";
        }

        if (dropped != MilterActionFlags.None)
        {
            MilterLog.ActionsNotOffered(_logger, _info.SessionId, (uint)dropped);
        }

        MilterLog.Negotiated(_logger, _info.SessionId, negotiation!.Version, (uint)negotiation.Actions, (uint)negotiation.Protocol, offer.Version, (uint)offer.Actions, (uint)offer.Protocol);
        if (_handler is not null)
        {
            // A fresh OPTNEG after QUIT_NC: the handler created for the new session stays, but
            // it must see the new negotiation.
            await EndSmtpSessionAsync().ConfigureAwait(false);
        }

        _capabilities = capabilities;
        _negotiation = negotiation;
        StartSmtpSession();
        await WriteAsync(reply!, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private void StartSmtpSession()
    {
        _macros.ClearAll();
        _context = new MilterContext(_info, _negotiation!, _macros, SendProgressAsync);
        _handler = _factory.CreateHandler(_info);
        ResetMessage();
    }

    private ValueTask HeaderAsync(string name, in ReadOnlySequence<byte> value, CancellationToken cancellationToken)
    {
        MilterContext context = _context!;
        // A value inside one buffer segment is handed over as it lies; one spanning segments is
        // gathered into a buffer the session reuses (either way valid until the step completes).
        ReadOnlyMemory<byte> raw = value.IsSingleSegment ? value.First : Gather(value);
        int position = context.HeaderCount;
        context.HeaderCount++;
        context.HeaderBytes += name.Length + raw.Length;
        var header = new MilterHeader(name, raw, _headerOccurrences.Next(name), position);

        if (_messageVerdict is null && (context.HeaderCount > _options.MaxHeaderCount || context.HeaderBytes > _options.MaxHeaderBytes))
        {
            return HeaderOverLimitAsync(header, cancellationToken);
        }

        return StepAsync(MilterSteps.Header, null, header, messageLevel: true, cancellationToken);
    }

    private async ValueTask HeaderOverLimitAsync(MilterHeader header, CancellationToken cancellationToken)
    {
        MilterContext context = _context!;
        MilterLog.HeaderLimitExceeded(_logger, _info.SessionId, context.HeaderCount, context.HeaderBytes, _options.HeaderLimitDecision.ToString());
        await PoisonMessageAsync(_options.HeaderLimitDecision).ConfigureAwait(false);
        await StepAsync(MilterSteps.Header, null, header, messageLevel: true, cancellationToken).ConfigureAwait(false);
    }

    private ReadOnlyMemory<byte> Gather(in ReadOnlySequence<byte> value)
    {
        int length = checked((int)value.Length);
        if (_gathered.Length < length)
        {
            _gathered = new byte[Math.Max(length, 256)];
        }

        value.CopyTo(_gathered);
        return _gathered.AsMemory(0, length);
    }

    private ValueTask StepAsync(MilterSteps step, MilterCommand? command, bool messageLevel, CancellationToken cancellationToken) =>
        StepAsync(step, command, default, messageLevel, cancellationToken);

    /// <summary>
    /// Runs one step: the handler (unless the step was not asked for or the message already has a
    /// verdict), then the reply where the MTA reads one. Synchronous, with no state machine, when
    /// the handler completes at once and the reply is written at once.
    /// </summary>
    private ValueTask StepAsync(MilterSteps step, MilterCommand? command, in MilterHeader header, bool messageLevel, CancellationToken cancellationToken)
    {
        bool replies = !_negotiation!.IsNoReply(step);
        MilterDecision decision;
        if (messageLevel && _messageVerdict is not null)
        {
            decision = _messageVerdict;
        }
        else if ((_capabilities.Steps & step) == 0)
        {
            decision = MilterDecision.Continue;
        }
        else
        {
            _replyPending = replies;
            ValueTask<MilterDecision> pending;
            try
            {
                pending = Invoke(step, command, header, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return StepFailedAsync(step, exception, messageLevel, replies, cancellationToken);
            }

            if (!pending.IsCompletedSuccessfully)
            {
                return AwaitStepAsync(step, pending, messageLevel, replies, cancellationToken);
            }

            decision = pending.Result;
        }

        // When the MTA does not read a reply to this step, one byte more would desync it (§7.4).
        return replies ? ReplyAsync(step, decision, cancellationToken) : default;
    }

    private async ValueTask AwaitStepAsync(MilterSteps step, ValueTask<MilterDecision> pending, bool messageLevel, bool replies, CancellationToken cancellationToken)
    {
        MilterDecision decision;
        try
        {
            decision = await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await StepFailedAsync(step, exception, messageLevel, replies, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (replies)
        {
            await ReplyAsync(step, decision, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask StepFailedAsync(MilterSteps step, Exception exception, bool messageLevel, bool replies, CancellationToken cancellationToken)
    {
        MilterDecision decision = _options.HandlerFailureDecision;
        MilterLog.HandlerFailed(_logger, _info.SessionId, step.ToString(), decision.ToString(), exception);
        if (messageLevel)
        {
            await PoisonMessageAsync(decision).ConfigureAwait(false);
        }

        if (replies)
        {
            await ReplyAsync(step, decision, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask ReplyAsync(MilterSteps step, MilterDecision decision, CancellationToken cancellationToken)
    {
        // A wanted no-reply bit the MTA did not offer is emulated with CONTINUE (§4.5).
        MilterNegotiation negotiation = _negotiation!;
        MilterResponse response = (negotiation.EmulatedNoReply & MilterStepMap.NoReplyFlagOf(step)) != 0 && _messageVerdict is null
            ? SimpleResponse.Continue
            : decision.ToResponse(skipAllowed: step == MilterSteps.Body && (negotiation.Protocol & MilterProtocolFlags.Skip) != 0);
        return WriteAsync(response, cancellationToken);
    }

    private ValueTask<MilterDecision> Invoke(MilterSteps step, MilterCommand? command, in MilterHeader header, CancellationToken cancellationToken)
    {
        IMilterHandler handler = _handler!;
        MilterContext context = _context!;
        return step switch
        {
            MilterSteps.Connect => handler.OnConnectAsync((ConnectCommand)command!, context, cancellationToken),
            MilterSteps.Helo => handler.OnHeloAsync((HeloCommand)command!, context, cancellationToken),
            MilterSteps.Mail => handler.OnMailAsync((MailCommand)command!, context, cancellationToken),
            MilterSteps.Recipient => handler.OnRecipientAsync((RecipientCommand)command!, context, cancellationToken),
            MilterSteps.Data => handler.OnDataAsync(context, cancellationToken),
            MilterSteps.Header => handler.OnHeaderAsync(header, context, cancellationToken),
            MilterSteps.EndOfHeaders => handler.OnEndOfHeadersAsync(context, cancellationToken),
            MilterSteps.Body => handler.OnBodyChunkAsync(((BodyCommand)command!).Chunk, context, cancellationToken),
            MilterSteps.Unknown => handler.OnUnknownAsync((UnknownCommand)command!, context, cancellationToken),
            _ => ValueTask.FromResult(MilterDecision.Continue),
        };
    }

    private async ValueTask EndOfMessageAsync(EndOfMessageCommand command, CancellationToken cancellationToken)
    {
        MilterNegotiation negotiation = _negotiation!;
        _batch.Clear();
        if (_messageVerdict is not null)
        {
            _batch.Add(_messageVerdict.ToResponse(skipAllowed: false));
        }
        else
        {
            MilterMessageOutcome outcome;
            _replyPending = true;
            try
            {
                // libmilter delivers a payload on EOM as a last body chunk first (§5.11).
                if (!command.FinalChunk.IsEmpty && (_capabilities.Steps & MilterSteps.Body) != 0)
                {
                    await _handler!.OnBodyChunkAsync(command.FinalChunk, _context!, cancellationToken).ConfigureAwait(false);
                }

                outcome = await _handler!.OnEndOfMessageAsync(_context!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcome = new MilterMessageOutcome(_options.HandlerFailureDecision, []);
                MilterLog.HandlerFailed(_logger, _info.SessionId, "EndOfMessage", outcome.Decision.ToString(), exception);
            }

            // Indexed, not foreach: an interface enumerator would be one more object per message.
            IReadOnlyList<MilterResponse> modifications = outcome.Modifications;
            for (int i = 0; i < modifications.Count; i++)
            {
                MilterResponse modification = modifications[i];
                string? refusal = CheckModification(modification, negotiation);
                if (refusal is null)
                {
                    _batch.Add(modification);
                }
                else
                {
                    MilterLog.ModificationDropped(_logger, _info.SessionId, modification.Code, refusal);
                }
            }

            _batch.Add(outcome.Decision.ToResponse(skipAllowed: false));
        }

        // The message is over for the handler: no abort callback for it.
        _handlerMessageClosed = true;
        await WriteBatchAsync(_batch, cancellationToken).ConfigureAwait(false);
        _batch.Clear();
        await EndMessageAsync(clearMacros: true).ConfigureAwait(false);
    }

    private static string? CheckModification(MilterResponse modification, MilterNegotiation negotiation)
    {
        if (!modification.IsModification)
        {
            return "not a modification (the decision goes in MilterMessageOutcome.Decision)";
        }

        MilterActionFlags needed = modification.Code switch
        {
            MilterResponseCode.AddHeader or MilterResponseCode.InsertHeader => MilterActionFlags.AddHeaders,
            MilterResponseCode.ChangeHeader => MilterActionFlags.ChangeHeaders,
            MilterResponseCode.ReplaceBody => MilterActionFlags.ChangeBody,
            MilterResponseCode.AddRecipient => MilterActionFlags.AddRecipients,
            MilterResponseCode.AddRecipientWithParameters => MilterActionFlags.AddRecipientsWithParameters,
            MilterResponseCode.DeleteRecipient => MilterActionFlags.DeleteRecipients,
            MilterResponseCode.ChangeFrom => MilterActionFlags.ChangeFrom,
            MilterResponseCode.Quarantine => MilterActionFlags.Quarantine,
            _ => MilterActionFlags.All,
        };
        return negotiation.Allows(needed) ? null : $"action 0x{(uint)needed:X} was not negotiated";
    }

    /// <summary>The message gets <paramref name="verdict"/> at the next reply; the handler hears no more of it.</summary>
    private async ValueTask PoisonMessageAsync(MilterDecision verdict)
    {
        _messageVerdict = verdict;
        await AbortHandlerMessageAsync().ConfigureAwait(false);
    }

    private async ValueTask AbortHandlerMessageAsync()
    {
        if (!_transactionOpen || _handlerMessageClosed || _handler is null)
        {
            return;
        }

        _handlerMessageClosed = true;
        try
        {
            await _handler.OnAbortAsync(_context!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            MilterLog.CleanupFailed(_logger, _info.SessionId, "abort", exception);
        }
    }

    /// <summary>
    /// Ends the open transaction, if any: the handler hears an abort unless it already answered end
    /// of message. Synchronous (no state machine) when there is no abort to deliver, as after every
    /// end of message and every MAIL that follows one.
    /// </summary>
    private ValueTask EndMessageAsync(bool clearMacros)
    {
        if (_transactionOpen && !_handlerMessageClosed && _handler is not null)
        {
            return AbortAndEndMessageAsync(clearMacros);
        }

        FinishMessage(clearMacros);
        return default;
    }

    private async ValueTask AbortAndEndMessageAsync(bool clearMacros)
    {
        await AbortHandlerMessageAsync().ConfigureAwait(false);
        FinishMessage(clearMacros);
    }

    private void FinishMessage(bool clearMacros)
    {
        ResetMessage();
        if (clearMacros)
        {
            _macros.ClearMessage();
        }
    }

    private void ResetMessage()
    {
        _transactionOpen = false;
        _handlerMessageClosed = false;
        _messageVerdict = null;
        _headerOccurrences.Clear();
        if (_context is not null)
        {
            _context.HeaderCount = 0;
            _context.HeaderBytes = 0;
        }
    }

    private async ValueTask EndSmtpSessionAsync()
    {
        if (_handler is null)
        {
            return;
        }

        await EndMessageAsync(clearMacros: true).ConfigureAwait(false);
        IMilterHandler handler = _handler;
        _handler = null;
        try
        {
            await handler.OnCloseAsync(_context!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            MilterLog.CleanupFailed(_logger, _info.SessionId, "close", exception);
        }
    }

    private async ValueTask<bool> SendProgressAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_replyPending)
            {
                return false;
            }

            MilterFrameWriter.Write(_writer, SimpleResponse.Progress);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>One reply, one flush; synchronous when the write lock is free and the pipe takes the bytes at once.</summary>
    private ValueTask WriteAsync(MilterResponse response, CancellationToken cancellationToken)
    {
        if (!_writeLock.Wait(0))
        {
            return WriteContendedAsync(response, cancellationToken);
        }

        try
        {
            _replyPending = false;
            MilterFrameWriter.Write(_writer, response);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        return FlushAndReleaseAsync(cancellationToken);
    }

    /// <summary>
    /// Flushes what was laid out while holding the write lock and releases the lock once the flush
    /// is done: synchronously when the transport takes the bytes at once, else when the flush ends.
    /// </summary>
    private ValueTask FlushAndReleaseAsync(CancellationToken cancellationToken)
    {
        ValueTask<FlushResult> flush;
        try
        {
            flush = _writer.FlushAsync(cancellationToken);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        if (flush.IsCompletedSuccessfully)
        {
            flush.GetAwaiter().GetResult();
            _writeLock.Release();
            return default;
        }

        return FinishFlushAsync(flush);
    }

    private async ValueTask FinishFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteContendedAsync(MilterResponse response, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _replyPending = false;
            MilterFrameWriter.Write(_writer, response);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Writes all of one end of message's responses with ONE flush, laid out contiguously when
    /// they fit in a single buffer, so that the socket sees one write (reference §18: separate
    /// small writes cost about 40 ms each against an MTA that delays ACKs). Synchronous when the
    /// write lock is free and the transport takes the bytes at once.
    /// </summary>
    private ValueTask WriteBatchAsync(List<IMilterPacket> packets, CancellationToken cancellationToken)
    {
        if (!_writeLock.Wait(0))
        {
            return WriteBatchContendedAsync(packets, cancellationToken);
        }

        try
        {
            LayOutBatch(packets);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        return FlushAndReleaseAsync(cancellationToken);
    }

    private async ValueTask WriteBatchContendedAsync(List<IMilterPacket> packets, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LayOutBatch(packets);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void LayOutBatch(List<IMilterPacket> packets)
    {
        _replyPending = false;
        long total = 0;
        foreach (IMilterPacket packet in packets)
        {
            total += MilterFrameWriter.GetFrameLength(packet);
        }

        if (total <= ContiguousBatchLimit)
        {
            MilterFrameWriter.WriteBatch(_writer, packets);
        }
        else
        {
            foreach (IMilterPacket packet in packets)
            {
                MilterFrameWriter.Write(_writer, packet);
            }
        }
    }

    /// <summary>Batches up to this size are laid out in one buffer; beyond (a replaced body) frame by frame, still one flush.</summary>
    internal const int ContiguousBatchLimit = 1024 * 1024;

    private void LogViolation(MilterProtocolViolation violation)
    {
        if (violation.Kind == MilterViolationKind.UnknownCode)
        {
            MilterLog.UnknownCommand(_logger, _info.SessionId, violation.Code);
        }
        else
        {
            MilterLog.ProtocolViolation(_logger, _info.SessionId, violation);
        }
    }
}
