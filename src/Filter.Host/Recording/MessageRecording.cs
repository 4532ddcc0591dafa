using System.Buffers;
using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;

namespace Filter.Host.Recording;

/// <summary>
/// One recorded message in the daemon (issue 6 item 6), fed by the milter glue next to the engine: the
/// message is written to <c>messages/ID.eml.partial</c> as it streams in (never held in memory), its DNS
/// goes through <see cref="Resolver"/>, and at end of message <see cref="Complete"/> renames the file and
/// writes the zone, the policy and the manifest entry with the outcome as judged.
/// </summary>
/// <remarks>
/// The file is rebuilt exactly as the engine was fed: each header as <c>Name:</c>, the value bytes the
/// engine saw (with SMFIP_HDR_LEADSPC the MTA's own; without it the one space the glue puts back, see
/// <c>AuthenticationMilterHandler.OnHeaderAsync</c>) and CRLF, then CRLF, then the body chunks. Any
/// failure stops this recording only: it is logged (EventId 1010), the partial file is removed, and the
/// message is judged as usual. Not thread-safe: the glue feeds one message from one task.
/// </remarks>
internal sealed class MessageRecording : IDisposable
{
    private static readonly byte[] s_lineEnd = "\r\n"u8.ToArray();

    private readonly MessageRecorder _recorder;
    private readonly CorpusEntryWriter _writer;
    private readonly string _id;
    private readonly FilterPolicy _policy;
    private readonly ClientConnection _client;
    private readonly string _helo;
    private readonly string _mailFrom;
    private FileStream? _message;
    private bool _done;
    private string _queueId = "-";

    internal MessageRecording(
        MessageRecorder recorder, CorpusEntryWriter writer, string id, FileStream message, RecordingDnsResolver resolver,
        FilterPolicy policy, ClientConnection client, string helo, string mailFrom)
    {
        _recorder = recorder;
        _writer = writer;
        _id = id;
        _message = message;
        Resolver = resolver;
        _policy = policy;
        _client = client;
        _helo = helo;
        _mailFrom = mailFrom;
    }

    /// <summary>The message's resolver: the engine's shared one, every answer recorded.</summary>
    public RecordingDnsResolver Resolver { get; }

    /// <summary>One header field as the milter delivered it.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="rawValue">The value bytes as received.</param>
    /// <param name="leadingSpace">Whether SMFIP_HDR_LEADSPC was negotiated; without it the MTA dropped one space, which the engine was given back.</param>
    public void OnHeader(string name, ReadOnlySpan<byte> rawValue, bool leadingSpace)
    {
        if (_message is not { } file)
        {
            return;
        }

        try
        {
            // Latin-1 is how the reader turns the name's octets back into a string; one octet per char.
            Span<byte> nameBytes = name.Length <= 256 ? stackalloc byte[name.Length] : new byte[name.Length];
            Encoding.Latin1.GetBytes(name, nameBytes);
            file.Write(nameBytes);
            file.WriteByte((byte)':');
            if (!leadingSpace)
            {
                file.WriteByte((byte)' ');
            }

            file.Write(rawValue);
            file.Write(s_lineEnd);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Fail("writing a header", exception);
        }
    }

    /// <summary>End of headers: the empty line.</summary>
    public void OnEndOfHeaders()
    {
        if (_message is not { } file)
        {
            return;
        }

        try
        {
            file.Write(s_lineEnd);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Fail("writing the header end", exception);
        }
    }

    /// <summary>One body chunk, appended as received.</summary>
    public void OnBodyChunk(ReadOnlySequence<byte> chunk)
    {
        if (_message is not { } file)
        {
            return;
        }

        try
        {
            foreach (ReadOnlyMemory<byte> segment in chunk)
            {
                file.Write(segment.Span);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Fail("writing the body", exception);
        }
    }

    /// <summary>
    /// End of message: closes the message file, renames it into place and writes the zone, the policy and
    /// the manifest entry. An engine error is not recorded (a replay would not, and should not, repeat a bug).
    /// </summary>
    public void Complete(string queueId, IReadOnlyList<string> recipients, AuthenticationOutcome outcome)
    {
        if (_message is not { } file)
        {
            return;
        }

        if (outcome.IsEngineError)
        {
            Abandon();
            return;
        }

        try
        {
            file.Dispose();
            _message = null;
            string? policy = _recorder.PolicyText(_policy) is { } text ? _writer.SavePolicy(text) : null;
            var envelope = new MessageEnvelope(_client, _helo, _mailFrom, [.. recipients], queueId == "-" ? null : queueId);
            string path = _writer.Complete(_id, envelope, Resolver, outcome, policy);
            _done = true;
            RecordingLog.MessageRecorded(_recorder.Logger, queueId, path);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _queueId = queueId;
            Fail("writing the entry", exception);
        }
    }

    /// <summary>Removes the partial message file unless the entry was completed.</summary>
    public void Dispose()
    {
        if (!_done)
        {
            Abandon();
        }
    }

    private void Fail(string stage, Exception exception)
    {
        RecordingLog.RecordingFailed(_recorder.Logger, _queueId, stage, _writer.Directory, exception);
        Abandon();
    }

    private void Abandon()
    {
        _done = true;
        FileStream? file = _message;
        _message = null;
        try
        {
            // Disposing flushes, which fails again on a full disk; the file goes either way.
            file?.Dispose();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            RecordingLog.RecordingFailed(_recorder.Logger, _queueId, "closing the partial file", _writer.Directory, exception);
        }

        try
        {
            File.Delete(_writer.PartialPath(_id));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            RecordingLog.RecordingFailed(_recorder.Logger, _queueId, "removing the partial file", _writer.PartialPath(_id), exception);
        }
    }
}
