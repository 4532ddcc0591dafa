using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

// The prepared-message path of MilterClient (its contract is on the main declaration and on each
// member): a message encoded once (MilterPreparedMessage) sent with the flushes and early decisions
// of SendMessageAsync, replies checked without being built. For load tools, where the client's own
// cost per message competes with the milter it measures.
public sealed partial class MilterClient
{
    /// <summary>Encodes <paramref name="message"/> for this connection's negotiation (see <see cref="SendPreparedAsync"/>).</summary>
    public MilterPreparedMessage Prepare(MilterClientMessage message) =>
        MilterPreparedMessage.Create(message, (Negotiated ?? throw new InvalidOperationException("Negotiate first.")).Protocol);

    /// <summary>True when <paramref name="prepared"/> was encoded for what this connection negotiated.</summary>
    public bool CanSend(MilterPreparedMessage prepared) => Negotiated is { } negotiated && prepared.Protocol == negotiated.Protocol;

    /// <summary>
    /// Sends a prepared message: the same bytes, the same flushes and the same early decisions as
    /// <see cref="SendMessageAsync"/> with <see cref="MilterPreparedMessage.Message"/> (ABORT after it
    /// when configured), but nothing is encoded and the replies are checked without being built, so
    /// a message whose replies are the common ones (CONTINUE, header edits, ACCEPT) allocates
    /// nothing. Completes synchronously over a blocking transport.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prepared"/> was encoded for another negotiation (<see cref="CanSend"/>).</exception>
    public ValueTask<MilterMessageSummary> SendPreparedAsync(MilterPreparedMessage prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (Negotiated is null)
        {
            throw new InvalidOperationException("Negotiate first.");
        }

        if (!CanSend(prepared))
        {
            throw new ArgumentException("The message was prepared for another negotiation.", nameof(prepared));
        }

        return SendPreparedCoreAsync(prepared, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<MilterMessageSummary> SendPreparedCoreAsync(MilterPreparedMessage prepared, CancellationToken cancellationToken)
    {
        byte[] bytes = prepared.Bytes;
        MilterPreparedMessage.Step[] steps = prepared.Steps;
        int start = 0;
        int accepted = 0;
        int rejected = 0;
        ResponseHead lastRejection = default;
        for (int i = 0; i < steps.Length; i++)
        {
            MilterPreparedMessage.Step step = steps[i];
            _writer.Write(bytes.AsSpan(start, step.End - start));
            start = step.End;
            if (step.Code == MilterCommandCode.EndOfMessage)
            {
                break;
            }

            ResponseHead reply = ResponseHead.None;
            if (step.Answered)
            {
                await FlushOrThrowAsync(cancellationToken).ConfigureAwait(false);
                reply = await ReadReplyHeadAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await FlushUnansweredAsync(cancellationToken).ConfigureAwait(false);
            }

            if (step.Code == MilterCommandCode.Recipient)
            {
                // A refused recipient only drops that recipient; ACCEPT, DISCARD or SHUTDOWN there
                // decide the whole message; all refused ends it (as SendMessageAsync does).
                switch (reply.Code)
                {
                    case MilterResponseCode.Reject or MilterResponseCode.TempFail or MilterResponseCode.ReplyCode:
                        rejected++;
                        lastRejection = reply;
                        break;
                    case MilterResponseCode.Accept or MilterResponseCode.Discard or MilterResponseCode.Shutdown:
                        return await AfterMessageAsync(new MilterMessageSummary(reply.Action, MilterCommandCode.Recipient, reply.Code, 0, rejected), cancellationToken).ConfigureAwait(false);
                    default:
                        accepted++;
                        break;
                }

                if (step.LastRecipient && accepted == 0)
                {
                    return await AfterMessageAsync(new MilterMessageSummary(lastRejection.Action, MilterCommandCode.Recipient, lastRejection.Code, 0, rejected), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (step.Code == MilterCommandCode.Body && reply.Code == MilterResponseCode.Skip)
            {
                // SKIP: no more body; end of message (with its macros) follows at once.
                i = steps.Length - 2;
                start = steps[i].End;
            }
            else if (!reply.IsContinue)
            {
                return await AfterMessageAsync(new MilterMessageSummary(reply.Action, step.Code, reply.Code, 0, rejected), cancellationToken).ConfigureAwait(false);
            }
        }

        // Taken once end of message sits in the buffer, just before it is written.
        EndOfMessageSentTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        await FlushOrThrowAsync(cancellationToken).ConfigureAwait(false);
        int modifications = 0;
        while (true)
        {
            ResponseHead response = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (response.Code == MilterResponseCode.Progress)
            {
                continue;
            }

            if (MilterResponseParser.IsModification(response.Code))
            {
                modifications++;
                continue;
            }

            if (response.Code is MilterResponseCode.Skip or MilterResponseCode.Negotiate)
            {
                throw Violation(MilterViolationKind.Unexpected, response.Code, "not a final decision at end of message");
            }

            return await AfterMessageAsync(
                new MilterMessageSummary(response.Action, MilterCommandCode.EndOfMessage, response.Code, modifications, rejected), cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask FlushOrThrowAsync(CancellationToken cancellationToken)
    {
        ValueTask<FlushResult> flushing = _writer.FlushAsync(cancellationToken);
        if (flushing.IsCompletedSuccessfully)
        {
            return flushing.Result.IsCompleted ? throw new IOException("The milter closed the connection.") : default;
        }

        return AwaitFlushAsync(flushing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flushing)
    {
        FlushResult flush = await flushing.ConfigureAwait(false);
        if (flush.IsCompleted)
        {
            throw new IOException("The milter closed the connection.");
        }
    }

    /// <summary>The reply to a step before end of message, as <see cref="ReadReplyAsync"/> checks it, PROGRESS skipped.</summary>
    private async ValueTask<ResponseHead> ReadReplyHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ResponseHead response = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (response.Code == MilterResponseCode.Progress)
            {
                continue;
            }

            if (MilterResponseParser.IsModification(response.Code) || response.Code == MilterResponseCode.Negotiate)
            {
                throw Violation(MilterViolationKind.Unexpected, response.Code, "modification outside end of message");
            }

            return response;
        }
    }

    /// <summary>The next response's code and action, checked but not built; synchronous when its frame is buffered.</summary>
    private ValueTask<ResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        if (_reader.TryRead(out ReadResult result) && TryTakeHead(result, out ResponseHead head))
        {
            return ValueTask.FromResult(head);
        }

        return ReadHeadSlowAsync(cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ResponseHead> ReadHeadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeHead(result, out ResponseHead head))
            {
                return head;
            }
        }
    }

    /// <summary><see cref="TryTakeResponse"/> without building the response: the same checks, no allocation.</summary>
    private bool TryTakeHead(in ReadResult result, out ResponseHead head)
    {
        ReadOnlySequence<byte> buffer = result.Buffer;
        MilterFrameStatus status = MilterFrameReader.TryRead(ref buffer, _options.MaxPayloadLength, out MilterFrame frame, out MilterProtocolViolation? violation);
        if (status == MilterFrameStatus.Complete)
        {
            bool valid = MilterResponseParser.TryValidate(frame, out violation);
            head = valid ? ResponseHead.Of(frame) : default;
            _reader.AdvanceTo(buffer.Start);
            return valid ? true : throw new MilterProtocolException(violation!);
        }

        head = default;
        return NoFrameYet(result, buffer, status, violation);
    }
}
