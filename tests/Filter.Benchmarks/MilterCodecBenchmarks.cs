using System.Buffers;
using BenchmarkDotNet.Attributes;
using Filter.Milter.Protocol;

namespace Filter.Benchmarks;

/// <summary>
/// Encode and decode cost of one typical message's milter traffic as Postfix sends it: OPTNEG,
/// CONNECT, HELO, MAIL, RCPT, DATA, 15 headers each preceded by Postfix's 'L' macro packet, end
/// of headers, a 4 KiB body, end of message, ABORT and QUIT (with their MACRO packets), and the
/// end-of-message answer (delete a forged Authentication-Results, insert ours, quarantine, continue).
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*MilterCodec*'
/// </summary>
[MemoryDiagnoser]
public class MilterCodecBenchmarks
{
    private MilterCommand[] _commands = [];
    private IMilterPacket[] _endOfMessage = [];
    private byte[] _stream = [];
    private ReadOnlySequence<byte> _segmented;
    private PooledBufferWriter _writer = null!;
    private readonly Filter.Milter.Session.MilterMacros _macros = new();

    /// <summary>Bytes of the command stream (for MB/s: bytes / mean time).</summary>
    public int StreamBytes => _stream.Length;

    [GlobalSetup]
    public void Setup()
    {
        const string queueId = "4QX2Lm0Zk9z";
        KeyValuePair<string, string>[] queue = [new("i", queueId)];
        var commands = new List<MilterCommand>
        {
            new NegotiateCommand(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined),
            new MacroCommand(MilterCommandCode.Connect, [new("j", "mx.example.net"), new("{daemon_name}", "mx.example.net"), new("{daemon_addr}", "192.0.2.25"), new("v", "Postfix 3.7.11"), new("_", "client.example.org [198.51.100.7]")]),
            new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7"),
            new MacroCommand(MilterCommandCode.Helo, []),
            new HeloCommand("client.example.org"),
            new MacroCommand(MilterCommandCode.Mail, [new("{mail_addr}", "alice@example.org"), new("{mail_host}", "example.org"), new("{mail_mailer}", "smtp")]),
            new MailCommand("<alice@example.org>", ["SIZE=5120", "BODY=8BITMIME"]),
            new MacroCommand(MilterCommandCode.Recipient, [new("i", queueId), new("{rcpt_addr}", "bob@example.net"), new("{rcpt_host}", "example.net"), new("{rcpt_mailer}", "local")]),
            new RecipientCommand("<bob@example.net>", []),
            new MacroCommand(MilterCommandCode.Data, queue),
            DataCommand.Instance,
        };
        (string Name, string Value)[] headers =
        [
            ("Received", "from client.example.org (client.example.org [198.51.100.7])\n\tby relay.example.org with ESMTPS id 1234\n\tfor <bob@example.net>; Tue, 24 Nov 2026 10:00:00 +0000"),
            ("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel1;\n\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR"),
            ("Authentication-Results", "relay.example.org; spf=pass smtp.mailfrom=example.org"),
            ("From", "Alice <alice@example.org>"),
            ("To", "Bob <bob@example.net>"),
            ("Subject", "Quarterly report"),
            ("Date", "Tue, 24 Nov 2026 10:00:00 +0000"),
            ("Message-ID", "<20261124100000.1234@example.org>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("List-Id", "<reports.example.org>"),
            ("List-Unsubscribe", "<mailto:leave@example.org>"),
            ("X-Mailer", "Example Mailer 1.0"),
            ("Reply-To", "reports@example.org"),
        ];
        foreach ((string name, string value) in headers)
        {
            commands.Add(new MacroCommand(MilterCommandCode.Header, queue));
            commands.Add(new HeaderCommand(name, value));
        }

        byte[] body = new byte[4096];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = i % 72 == 70 ? (byte)'\r' : i % 72 == 71 ? (byte)'\n' : (byte)('a' + (i % 26));
        }

        commands.Add(new MacroCommand(MilterCommandCode.EndOfHeaders, queue));
        commands.Add(EndOfHeadersCommand.Instance);
        commands.Add(new MacroCommand(MilterCommandCode.Body, queue));
        commands.Add(new BodyCommand(body.AsMemory()));
        commands.Add(new MacroCommand(MilterCommandCode.EndOfMessage, queue));
        commands.Add(EndOfMessageCommand.Empty);
        commands.Add(AbortCommand.Instance);
        commands.Add(QuitCommand.Instance);
        _commands = [.. commands];

        _endOfMessage =
        [
            new ChangeHeaderResponse(1, "Authentication-Results", string.Empty),
            new InsertHeaderResponse(0, "Authentication-Results", "mx.example.net;\n\tspf=pass smtp.mailfrom=example.org;\n\tdkim=pass header.d=example.org header.s=sel1;\n\tdmarc=pass header.from=example.org"),
            new QuarantineResponse("dmarc=quarantine header.from=example.org"),
            SimpleResponse.Continue,
        ];

        _writer = new PooledBufferWriter(16 * 1024);
        foreach (MilterCommand command in _commands)
        {
            MilterFrameWriter.Write(_writer, command);
        }

        _stream = _writer.WrittenSpan.ToArray();
        _segmented = Split(_stream, 1460);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>Encodes the whole command stream into a reused pooled buffer (the client side).</summary>
    [Benchmark]
    public int EncodeCommandStream()
    {
        _writer.Clear();
        foreach (MilterCommand command in _commands)
        {
            MilterFrameWriter.Write(_writer, command);
        }

        return _writer.WrittenCount;
    }

    /// <summary>Frames and parses the whole command stream from one contiguous buffer (the session side).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeCommandStream() => Decode(new ReadOnlySequence<byte>(_stream));

    /// <summary>The same, from 1460-byte segments as TCP delivers them: frames span segments without copies.</summary>
    [Benchmark]
    public int DecodeCommandStreamSegmented() => Decode(_segmented);

    /// <summary>
    /// Frames the same stream and decodes it as the session does: MACRO packets filed raw in
    /// <see cref="Filter.Milter.Session.MilterMacros"/> (decoded only when looked up; an identical
    /// packet is a byte comparison), HEADER split into a shared name and a view of the value, the
    /// other commands parsed. This is the session's decoding cost per message.
    /// </summary>
    [Benchmark]
    public int DecodeCommandStreamAsSession()
    {
        var buffer = new ReadOnlySequence<byte>(_stream);
        int count = 0;
        while (MilterFrameReader.TryRead(ref buffer, MilterLimits.DefaultMaxPayloadLength, out MilterFrame frame, out _) == MilterFrameStatus.Complete)
        {
            if (frame.Code == (byte)MilterCommandCode.Macro)
            {
                _macros.SetRaw(frame.Payload);
                count++;
            }
            else if (frame.Code == (byte)MilterCommandCode.Header)
            {
                if (MilterCommandParser.TrySplitHeader(frame.Payload, out string? name, out ReadOnlySequence<byte> value, out _))
                {
                    count += name!.Length > 0 && value.Length >= 0 ? 1 : 0;
                }
            }
            else if (MilterCommandParser.TryParse(frame, out MilterCommand? _, out _))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Lays out one end-of-message answer (three edits and the decision) as one contiguous write.</summary>
    [Benchmark]
    public int EncodeEndOfMessageBatch()
    {
        _writer.Clear();
        return MilterFrameWriter.WriteBatch(_writer, _endOfMessage);
    }

    private static int Decode(ReadOnlySequence<byte> buffer)
    {
        int count = 0;
        while (MilterFrameReader.TryRead(ref buffer, MilterLimits.DefaultMaxPayloadLength, out MilterFrame frame, out _) == MilterFrameStatus.Complete)
        {
            if (MilterCommandParser.TryParse(frame, out MilterCommand? _, out _))
            {
                count++;
            }
        }

        return count;
    }

    private static ReadOnlySequence<byte> Split(byte[] data, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (int offset = 0; offset < data.Length; offset += size)
        {
            var segment = new Segment(data.AsMemory(offset, Math.Min(size, data.Length - offset)), offset);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Next = segment;
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new Segment? Next
        {
            get => (Segment?)base.Next;
            set => base.Next = value;
        }
    }
}
