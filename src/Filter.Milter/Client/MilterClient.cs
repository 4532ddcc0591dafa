using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Filter.Milter.Protocol;
using Filter.Milter.Server;

namespace Filter.Milter.Client;

/// <summary>
/// The MTA side of the milter protocol, for tests, the load tool and the end-to-end tests.
/// Connect, negotiate, then either drive commands one by one (<c>Send*Async</c>: each writes its
/// packet and, when the negotiated options say the milter answers it, reads the answer) or send
/// a whole message with <see cref="SendMessageAsync"/>, which behaves as Postfix does: macros
/// before each command, skipped steps not sent, early decisions honoured, ABORT at the end;
/// a load tool sending the same messages again and again prepares each once (<see cref="Prepare"/>)
/// and sends it with <see cref="SendPreparedAsync"/>: the same bytes, nothing encoded or built per send.
/// Not thread-safe: one conversation at a time, as on a real MTA connection.
/// A milter that breaks the protocol raises <see cref="MilterProtocolException"/>; a milter that
/// closes the connection raises <see cref="IOException"/>.
/// </summary>
public sealed partial class MilterClient : IAsyncDisposable
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> s_noMacros = [];
    private static readonly IReadOnlyList<string> s_noParameters = [];
    private static readonly IReadOnlyList<MilterResponse> s_noModifications = [];
    private static readonly IReadOnlyList<KeyValuePair<string, MilterResponse>> s_noRejections = [];

    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly MilterClientOptions _options;
    private readonly IDisposable? _owned;

    /// <summary>Creates a client over a transport (for in-memory pipes); <see cref="NegotiateAsync"/> comes next.</summary>
    public MilterClient(IDuplexPipe transport, MilterClientOptions? options = null)
        : this(transport, options, null)
    {
    }

    private MilterClient(IDuplexPipe transport, MilterClientOptions? options, IDisposable? owned)
    {
        _reader = transport.Input;
        _writer = transport.Output;
        _options = options ?? new MilterClientOptions();
        _owned = owned;
    }

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> taken just before the last end of
    /// message was written (0 before the first), for load tools timing end-of-message latency.
    /// </summary>
    public long EndOfMessageSentTimestamp { get; private set; }

    /// <summary>The milter's OPTNEG reply, once negotiated.</summary>
    public NegotiateResponse? Negotiated { get; private set; }

    /// <summary>Opens a socket to a milter (TCP_NODELAY set, as an MTA should) and negotiates.</summary>
    public static async Task<MilterClient> ConnectAsync(MilterSocketSpec target, MilterClientOptions? options, CancellationToken cancellationToken)
    {
        Socket socket = target.CreateClientSocket();
        try
        {
            EndPoint endPoint = target.ToEndPoint();
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            if (target.Kind == MilterSocketKind.Inet)
            {
                socket.NoDelay = true;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        return await NegotiateOverAsync(new StreamDuplexPipe(stream), stream, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A client over a connection the caller made (the load tool's blocking paced connections),
    /// negotiated as <see cref="ConnectAsync"/> does. <paramref name="owned"/> (the connection) is
    /// disposed with the client, or at once if negotiation fails.
    /// </summary>
    internal static async Task<MilterClient> NegotiateOverAsync(
        IDuplexPipe transport, IDisposable owned, MilterClientOptions? options, CancellationToken cancellationToken)
    {
        var client = new MilterClient(transport, options, owned);
        try
        {
            await client.NegotiateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>Sends OPTNEG with the configured offer and checks the reply as an MTA does (§4.5).</summary>
    /// <exception cref="MilterProtocolException">The reply is not OPTNEG, or asks for more than was offered.</exception>
    public async Task<NegotiateResponse> NegotiateAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(new NegotiateCommand(_options.Version, _options.Actions, _options.Protocol), cancellationToken).ConfigureAwait(false);
        MilterResponse response = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
        if (response is not NegotiateResponse reply)
        {
            throw Violation(MilterViolationKind.Unexpected, response.Code, "the reply to OPTNEG is not OPTNEG");
        }

        if (reply.Version == 0 || reply.Version > _options.Version)
        {
            throw Violation(MilterViolationKind.UnsupportedVersion, reply.Code, $"milter answers version {reply.Version} to an offer of {_options.Version}");
        }

        if ((reply.Actions & ~_options.Actions) != 0)
        {
            throw Violation(MilterViolationKind.Unexpected, reply.Code, $"milter wants actions 0x{(uint)reply.Actions:X} beyond the offer 0x{(uint)_options.Actions:X}");
        }

        Negotiated = reply;
        return reply;
    }

    /// <summary>Sends a MACRO packet (never answered).</summary>
    public Task SendMacrosAsync(MilterCommandCode stage, IReadOnlyList<KeyValuePair<string, string>> macros, CancellationToken cancellationToken) =>
        WriteAsync(new MacroCommand(stage, macros), cancellationToken).AsTask();

    /// <summary>Sends CONNECT.</summary>
    public Task<MilterReply> SendConnectAsync(ConnectCommand connect, CancellationToken cancellationToken) => SendAsync(connect, cancellationToken);

    /// <summary>Sends HELO.</summary>
    public Task<MilterReply> SendHeloAsync(string name, CancellationToken cancellationToken) => SendAsync(new HeloCommand(name), cancellationToken);

    /// <summary>Sends MAIL.</summary>
    public Task<MilterReply> SendMailAsync(string sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        SendAsync(new MailCommand(sender, parameters), cancellationToken);

    /// <summary>Sends RCPT.</summary>
    public Task<MilterReply> SendRecipientAsync(string recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        SendAsync(new RecipientCommand(recipient, parameters), cancellationToken);

    /// <summary>Sends DATA.</summary>
    public Task<MilterReply> SendDataAsync(CancellationToken cancellationToken) => SendAsync(DataCommand.Instance, cancellationToken);

    /// <summary>Sends one header (value exactly as given).</summary>
    public Task<MilterReply> SendHeaderAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync(new HeaderCommand(name, value), cancellationToken);

    /// <summary>Sends end of headers.</summary>
    public Task<MilterReply> SendEndOfHeadersAsync(CancellationToken cancellationToken) => SendAsync(EndOfHeadersCommand.Instance, cancellationToken);

    /// <summary>Sends one body chunk (at most 65535 bytes).</summary>
    public Task<MilterReply> SendBodyAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        SendAsync(new BodyCommand(chunk), cancellationToken);

    /// <summary>Sends UNKNOWN.</summary>
    public Task<MilterReply> SendUnknownAsync(string line, CancellationToken cancellationToken) => SendAsync(new UnknownCommand(line), cancellationToken);

    /// <summary>Sends ABORT (never answered).</summary>
    public Task SendAbortAsync(CancellationToken cancellationToken) => WriteAsync(AbortCommand.Instance, cancellationToken).AsTask();

    /// <summary>Sends QUIT (never answered); the milter then closes.</summary>
    public Task SendQuitAsync(CancellationToken cancellationToken) => WriteAsync(QuitCommand.Instance, cancellationToken).AsTask();

    /// <summary>Sends QUIT_NC (never answered); a new CONNECT may follow on this connection.</summary>
    public Task SendQuitNewConnectionAsync(CancellationToken cancellationToken) => WriteAsync(QuitNewConnectionCommand.Instance, cancellationToken).AsTask();

    /// <summary>Sends end of message and collects the modifications and the final decision.</summary>
    public async Task<MilterEndOfMessageReply> SendEndOfMessageAsync(CancellationToken cancellationToken)
    {
        // Taken before the write so a load tool measures end-of-message latency as the MTA sees it.
        EndOfMessageSentTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        await WriteAsync(EndOfMessageCommand.Empty, cancellationToken).ConfigureAwait(false);
        return await ReadEndOfMessageAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends any command except OPTNEG and end of message, and reads the reply when the
    /// negotiated options say there is one.
    /// </summary>
    public async Task<MilterReply> SendAsync(MilterCommand command, CancellationToken cancellationToken)
    {
        if (command is NegotiateCommand or EndOfMessageCommand)
        {
            throw new ArgumentException("Use NegotiateAsync or SendEndOfMessageAsync.", nameof(command));
        }

        await WriteAsync(command, cancellationToken).ConfigureAwait(false);
        return ExpectsReply(command.Code) ? await ReadReplyAsync(cancellationToken).ConfigureAwait(false) : MilterReply.None;
    }

    /// <summary>
    /// Sends one message as Postfix would, after CONNECT/HELO: macros before each command, MAIL,
    /// each RCPT, DATA, headers, end of headers, body chunks, end of message, then ABORT (when
    /// <see cref="MilterClientOptions.AbortAfterMessage"/>). Steps the milter negotiated away are
    /// not sent (their macros are, as MTAs do); a decision other than CONTINUE ends the message
    /// early as it would on an MTA (a refused recipient only drops that recipient).
    /// </summary>
    public Task<MilterMessageResult> SendMessageAsync(MilterClientMessage message, CancellationToken cancellationToken) =>
        SendMessageCoreAsync(message, cancellationToken);

    /// <summary>
    /// The ABORT after a message (whole or prepared), when configured; synchronous when it only goes
    /// into the buffer. Returns <paramref name="result"/> once the ABORT is written.
    /// </summary>
    private ValueTask<TResult> AfterMessageAsync<TResult>(TResult result, CancellationToken cancellationToken)
    {
        if (!_options.AbortAfterMessage)
        {
            return ValueTask.FromResult(result);
        }

        // Postfix buffers ABORT like any unanswered command: it goes out with the next
        // message's first packets (or at QUIT / close).
        ValueTask writing = WriteUnansweredAsync(AbortCommand.Instance, cancellationToken);
        if (writing.IsCompletedSuccessfully)
        {
            writing.GetAwaiter().GetResult();
            return ValueTask.FromResult(result);
        }

        return AwaitAfterMessageAsync(writing, result);
    }

    private static async ValueTask<TResult> AwaitAfterMessageAsync<TResult>(ValueTask writing, TResult result)
    {
        await writing.ConfigureAwait(false);
        return result;
    }

    private async Task<MilterMessageResult> SendMessageCoreAsync(MilterClientMessage message, CancellationToken cancellationToken)
    {
        NegotiateResponse negotiated = Negotiated ?? throw new InvalidOperationException("Negotiate first.");
        List<KeyValuePair<string, MilterResponse>>? rejected = null;

        MilterReply reply = await StepAsync(message, new MailCommand(message.Sender, message.SenderParameters), MilterProtocolFlags.NoMail, cancellationToken).ConfigureAwait(false);
        if (!reply.IsContinue)
        {
            return await AfterMessageAsync(Decided(MilterCommandCode.Mail, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
        }

        int accepted = 0;
        for (int r = 0; r < message.Recipients.Count; r++)
        {
            string recipient = message.Recipients[r];
            reply = await StepAsync(message, new RecipientCommand(recipient, s_noParameters), MilterProtocolFlags.NoRecipient, cancellationToken).ConfigureAwait(false);
            switch (reply.Code)
            {
                case MilterResponseCode.Reject or MilterResponseCode.TempFail or MilterResponseCode.ReplyCode:
                    (rejected ??= []).Add(new KeyValuePair<string, MilterResponse>(recipient, reply.Response!));
                    break;
                case MilterResponseCode.Accept or MilterResponseCode.Discard or MilterResponseCode.Shutdown:
                    return await AfterMessageAsync(Decided(MilterCommandCode.Recipient, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
                default:
                    accepted++;
                    break;
            }
        }

        if (accepted == 0 && message.Recipients.Count > 0)
        {
            return await AfterMessageAsync(Decided(MilterCommandCode.Recipient, rejected![^1].Value, rejected), cancellationToken).ConfigureAwait(false);
        }

        reply = await StepAsync(message, DataCommand.Instance, MilterProtocolFlags.NoData, cancellationToken).ConfigureAwait(false);
        if (!reply.IsContinue)
        {
            return await AfterMessageAsync(Decided(MilterCommandCode.Data, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
        }

        bool leadingSpace = (negotiated.Protocol & MilterProtocolFlags.HeaderLeadingSpace) != 0;
        for (int h = 0; h < message.Headers.Count; h++)
        {
            HeaderCommand header = message.Headers[h];
            // Without HDR_LEADSPC the MTA removes exactly one leading SP, never a TAB (§8.1).
            ReadOnlyMemory<byte> value = !leadingSpace && header.RawValue.Length > 0 && header.RawValue.Span[0] == (byte)' '
                ? header.RawValue[1..]
                : header.RawValue;
            reply = await StepCoreAsync(message, MilterCommandCode.Header, header.Name, value, MilterProtocolFlags.NoHeaders, cancellationToken).ConfigureAwait(false);
            if (!reply.IsContinue)
            {
                return await AfterMessageAsync(Decided(MilterCommandCode.Header, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
            }
        }

        reply = await StepAsync(message, EndOfHeadersCommand.Instance, MilterProtocolFlags.NoEndOfHeaders, cancellationToken).ConfigureAwait(false);
        if (!reply.IsContinue)
        {
            return await AfterMessageAsync(Decided(MilterCommandCode.EndOfHeaders, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
        }

        int chunkSize = Math.Clamp(message.ChunkSize, 1, MilterLimits.MaxChunkSize);
        for (int offset = 0; offset < message.Body.Length; offset += chunkSize)
        {
            ReadOnlyMemory<byte> chunk = message.Body.Slice(offset, Math.Min(chunkSize, message.Body.Length - offset));
            reply = await StepCoreAsync(message, MilterCommandCode.Body, null, chunk, MilterProtocolFlags.NoBody, cancellationToken).ConfigureAwait(false);
            if (reply.Code == MilterResponseCode.Skip)
            {
                break;
            }

            if (!reply.IsContinue)
            {
                return await AfterMessageAsync(Decided(MilterCommandCode.Body, reply.Response!, rejected), cancellationToken).ConfigureAwait(false);
            }
        }

        WriteMacros(message, MilterCommandCode.EndOfMessage);

        // End of message and its answer inline (not through SendEndOfMessageAsync): one state
        // machine per message instead of three.
        EndOfMessageSentTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        await WriteAsync(EndOfMessageCommand.Empty, cancellationToken).ConfigureAwait(false);
        List<MilterResponse>? modifications = null;
        int progress = 0;
        MilterResponse decision;
        while (true)
        {
            if (!_reader.TryRead(out ReadResult read))
            {
                read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            if (TryTakeResponse(read, out MilterResponse? response) && IsFinal(response!, ref modifications, ref progress))
            {
                decision = response!;
                break;
            }
        }

        var result = new MilterMessageResult(ActionOf(decision), MilterCommandCode.EndOfMessage, decision,
            (IReadOnlyList<MilterResponse>?)modifications ?? s_noModifications, (IReadOnlyList<KeyValuePair<string, MilterResponse>>?)rejected ?? s_noRejections);
        return await AfterMessageAsync(result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads until the milter closes the connection; true when it closed without sending anything more.</summary>
    public async Task<bool> WaitForCloseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return true;
            }

            bool empty = result.Buffer.IsEmpty;
            _reader.AdvanceTo(result.Buffer.End);
            if (!empty)
            {
                return false;
            }

            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.CompleteAsync().ConfigureAwait(false);
        await _reader.CompleteAsync().ConfigureAwait(false);
        _owned?.Dispose();
    }

    private ValueTask<MilterReply> StepAsync(MilterClientMessage message, MilterCommand command, MilterProtocolFlags skipFlag, CancellationToken cancellationToken) =>
        StepCoreAsync(message, command.Code, command, default, skipFlag, cancellationToken);

    /// <summary>
    /// One step of a message: its macros, then the command unless negotiated away, then the reply
    /// when the milter sends one. Headers and body chunks are written straight from the message
    /// (no command object); a step that needs no reply and no flush completes synchronously.
    /// </summary>
    private ValueTask<MilterReply> StepCoreAsync(
        MilterClientMessage message, MilterCommandCode code, object? commandOrName, ReadOnlyMemory<byte> bytes, MilterProtocolFlags skipFlag, CancellationToken cancellationToken)
    {
        // MTAs send the macros of a step even when the step itself is negotiated away (§4.5).
        WriteMacros(message, code);
        if ((Negotiated!.Protocol & skipFlag) == 0)
        {
            switch (code)
            {
                case MilterCommandCode.Header:
                    HeaderCommand.WriteFrame(_writer, (string)commandOrName!, bytes.Span);
                    break;
                case MilterCommandCode.Body when commandOrName is null:
                    BodyCommand.WriteFrame(_writer, bytes.Span);
                    break;
                default:
                    MilterFrameWriter.Write(_writer, (MilterCommand)commandOrName!);
                    break;
            }

            if (ExpectsReply(code))
            {
                return FlushAndReadReplyAsync(cancellationToken);
            }
        }

        ValueTask flushing = FlushUnansweredAsync(cancellationToken);
        if (flushing.IsCompletedSuccessfully)
        {
            flushing.GetAwaiter().GetResult();
            return ValueTask.FromResult(MilterReply.None);
        }

        return AwaitUnansweredAsync(flushing);
    }

    private static async ValueTask<MilterReply> AwaitUnansweredAsync(ValueTask flushing)
    {
        await flushing.ConfigureAwait(false);
        return MilterReply.None;
    }

    private async ValueTask<MilterReply> FlushAndReadReplyAsync(CancellationToken cancellationToken)
    {
        FlushResult flush = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new IOException("The milter closed the connection.");
        }

        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Buffers a command the milter does not answer; writes when not coalescing or the buffer is full.</summary>
    private ValueTask WriteUnansweredAsync(MilterCommand command, CancellationToken cancellationToken)
    {
        MilterFrameWriter.Write(_writer, command);
        return FlushUnansweredAsync(cancellationToken);
    }

    /// <summary>Not async: most calls only leave the command in the buffer, and need no state machine.</summary>
    private ValueTask FlushUnansweredAsync(CancellationToken cancellationToken) =>
        _options.CoalesceUnansweredCommands && _writer.CanGetUnflushedBytes && _writer.UnflushedBytes < _options.CoalesceBufferSize
            ? default
            : FlushOrThrowAsync(cancellationToken);

    private void WriteMacros(MilterClientMessage message, MilterCommandCode stage)
    {
        if (message.Macros.TryGetValue(stage, out IReadOnlyList<KeyValuePair<string, string>>? macros))
        {
            // Buffered only: the command that follows flushes both in one write.
            MacroCommand.WriteFrame(_writer, stage, macros ?? s_noMacros);
        }
    }

    private static MilterMessageResult Decided(MilterCommandCode stage, MilterResponse decision, List<KeyValuePair<string, MilterResponse>>? rejected) =>
        new(ActionOf(decision), stage, decision, s_noModifications, (IReadOnlyList<KeyValuePair<string, MilterResponse>>?)rejected ?? s_noRejections);

    private static MilterMessageAction ActionOf(MilterResponse decision) => decision switch
    {
        ReplyCodeResponse reply when reply.Text.StartsWith("421", StringComparison.Ordinal) => MilterMessageAction.Shutdown,
        ReplyCodeResponse reply => reply.Text.StartsWith('4') ? MilterMessageAction.TempFail : MilterMessageAction.Reject,
        _ => decision.Code switch
        {
            MilterResponseCode.Reject => MilterMessageAction.Reject,
            MilterResponseCode.TempFail => MilterMessageAction.TempFail,
            MilterResponseCode.Discard => MilterMessageAction.Discard,
            MilterResponseCode.Shutdown => MilterMessageAction.Shutdown,
            _ => MilterMessageAction.Accept,
        },
    };

    private bool ExpectsReply(MilterCommandCode code) => ExpectsReply(Negotiated?.Protocol ?? MilterProtocolFlags.None, code);

    /// <summary>Whether a milter that negotiated <paramref name="protocol"/> answers <paramref name="code"/>.</summary>
    internal static bool ExpectsReply(MilterProtocolFlags protocol, MilterCommandCode code)
    {
        MilterProtocolFlags noReply = code switch
        {
            MilterCommandCode.Connect => MilterProtocolFlags.NoReplyConnect,
            MilterCommandCode.Helo => MilterProtocolFlags.NoReplyHelo,
            MilterCommandCode.Mail => MilterProtocolFlags.NoReplyMail,
            MilterCommandCode.Recipient => MilterProtocolFlags.NoReplyRecipient,
            MilterCommandCode.Data => MilterProtocolFlags.NoReplyData,
            MilterCommandCode.Header => MilterProtocolFlags.NoReplyHeader,
            MilterCommandCode.EndOfHeaders => MilterProtocolFlags.NoReplyEndOfHeaders,
            MilterCommandCode.Body => MilterProtocolFlags.NoReplyBody,
            MilterCommandCode.Unknown => MilterProtocolFlags.NoReplyUnknown,
            MilterCommandCode.EndOfMessage or MilterCommandCode.Negotiate => MilterProtocolFlags.None,
            _ => MilterProtocolFlags.AllDefined,
        };
        return (protocol & noReply) == 0 || noReply == MilterProtocolFlags.None;
    }

    private async ValueTask WriteAsync(MilterCommand command, CancellationToken cancellationToken)
    {
        MilterFrameWriter.Write(_writer, command);
        FlushResult flush = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new IOException("The milter closed the connection.");
        }
    }

    private async ValueTask<MilterReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        int progress = 0;
        while (true)
        {
            MilterResponse response = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
            if (response.Code == MilterResponseCode.Progress)
            {
                progress++;
                continue;
            }

            if (response.IsModification || response is NegotiateResponse)
            {
                throw Violation(MilterViolationKind.Unexpected, response.Code, "modification outside end of message");
            }

            return new MilterReply(response, progress);
        }
    }

    private async ValueTask<MilterEndOfMessageReply> ReadEndOfMessageAsync(CancellationToken cancellationToken)
    {
        List<MilterResponse>? modifications = null;
        int progress = 0;
        while (true)
        {
            MilterResponse response = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
            if (IsFinal(response, ref modifications, ref progress))
            {
                return new MilterEndOfMessageReply((IReadOnlyList<MilterResponse>?)modifications ?? [], response, progress);
            }
        }
    }

    /// <summary>
    /// Files one response after end of message: PROGRESS is counted, a modification collected; true
    /// for the final decision. Anything else there breaks the protocol (§7.2).
    /// </summary>
    private static bool IsFinal(MilterResponse response, ref List<MilterResponse>? modifications, ref int progress)
    {
        if (response.Code == MilterResponseCode.Progress)
        {
            progress++;
            return false;
        }

        if (response.IsModification)
        {
            (modifications ??= []).Add(response);
            return false;
        }

        if (response.Code is MilterResponseCode.Skip or MilterResponseCode.Negotiate)
        {
            throw Violation(MilterViolationKind.Unexpected, response.Code, "not a final decision at end of message");
        }

        return true;
    }

    /// <summary>The next response; synchronous when its frame is already buffered (the rest of an end-of-message batch).</summary>
    private ValueTask<MilterResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        if (_reader.TryRead(out ReadResult result) && TryTakeResponse(result, out MilterResponse? response))
        {
            return ValueTask.FromResult(response!);
        }

        return ReadResponseSlowAsync(cancellationToken);
    }

    private async ValueTask<MilterResponse> ReadResponseSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeResponse(result, out MilterResponse? response))
            {
                return response!;
            }
        }
    }

    /// <summary>
    /// Takes one response off <paramref name="result"/> when a whole frame is there; otherwise marks
    /// everything examined and returns false. Throws on a malformed frame or a closed connection.
    /// </summary>
    private bool TryTakeResponse(in ReadResult result, out MilterResponse? response)
    {
        ReadOnlySequence<byte> buffer = result.Buffer;
        MilterFrameStatus status = MilterFrameReader.TryRead(ref buffer, _options.MaxPayloadLength, out MilterFrame frame, out MilterProtocolViolation? violation);
        if (status == MilterFrameStatus.Complete)
        {
            // The parser copies what it keeps, so the buffer can be released at once.
            bool parsed = MilterResponseParser.TryParse(frame, out response, out violation);
            _reader.AdvanceTo(buffer.Start);
            return parsed ? true : throw new MilterProtocolException(violation!);
        }

        response = null;
        return NoFrameYet(result, buffer, status, violation);
    }

    /// <summary>
    /// After a read that did not complete a frame: throws for an invalid one or a closed connection,
    /// otherwise marks what was examined so the next read waits for more, and returns false.
    /// </summary>
    private bool NoFrameYet(in ReadResult result, ReadOnlySequence<byte> buffer, MilterFrameStatus status, MilterProtocolViolation? violation)
    {
        if (status == MilterFrameStatus.Invalid)
        {
            _reader.AdvanceTo(buffer.Start);
            throw new MilterProtocolException(violation!);
        }

        _reader.AdvanceTo(buffer.Start, buffer.End);
        if (result.IsCompleted)
        {
            throw new IOException("The milter closed the connection.");
        }

        return false;
    }

    private static MilterProtocolException Violation(MilterViolationKind kind, MilterResponseCode code, string reason) =>
        new(new MilterProtocolViolation(kind, (byte)code, reason));
}
