using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Benchmarks;

/// <summary>
/// The load tool's cost per message on the client side: <see cref="MilterClient.SendMessageAsync"/>
/// (encodes every command, builds every reply) against <see cref="MilterClient.SendPreparedAsync"/>
/// (writes bytes encoded once, checks replies without building them), over in-memory pipes with
/// the replies our milter gives (delete a forged Authentication-Results, insert ours, CONTINUE).
/// Each operation also feeds the canned replies in and drains what the client wrote, the same
/// for both.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*MilterClient*'
/// </summary>
[MemoryDiagnoser]
public class MilterClientBenchmarks
{
    private readonly Pipe _toClient = new();
    private readonly Pipe _toMilter = new();
    private MilterClient _client = null!;
    private MilterClientMessage _message = null!;
    private MilterPreparedMessage _prepared = null!;
    private byte[] _replies = [];

    [GlobalSetup]
    public void Setup()
    {
        _client = new MilterClient(new Transport(_toClient.Reader, _toMilter.Writer), new MilterClientOptions { AbortAfterMessage = false });
        var negotiated = new NegotiateResponse(6, MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders,
            MilterProtocolFlags.AllNoReply | MilterProtocolFlags.HeaderLeadingSpace, []);
        Feed(Encode(negotiated));
        _client.NegotiateAsync(CancellationToken.None).GetAwaiter().GetResult();

        var raw = new StringBuilder(
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=bench.example; s=s1;\r\n\th=From:To:Subject:Date:Message-ID; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR\r\n"
            + "From: Alice <alice@bench.example>\r\nTo: Bob <bob@localhost>\r\nSubject: benchmark message\r\n"
            + "Date: Wed, 25 Nov 2026 21:00:01 +0000\r\nMessage-ID: <bench-1@bench.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        for (int i = 0; i < 48; i++)
        {
            raw.Append("Line ").Append(i).Append(" of the message: the quick brown fox jumps over the lazy dog.\r\n");
        }

        _message = MilterClientMessage.Parse(Encoding.ASCII.GetBytes(raw.ToString()), "<alice@bench.example>", ["<bob@localhost>"]);
        _prepared = _client.Prepare(_message);
        _replies = Encode(
            new ChangeHeaderResponse(1, "Authentication-Results", ""),
            new InsertHeaderResponse(0, "Authentication-Results", "vm;\n\tspf=pass smtp.mailfrom=bench.example;\n\tdkim=pass header.d=bench.example;\n\tdmarc=pass header.from=bench.example"),
            SimpleResponse.Continue);
    }

    [Benchmark(Baseline = true)]
    public async Task<MilterMessageAction> SendMessage()
    {
        Feed(_replies);
        MilterMessageResult result = await _client.SendMessageAsync(_message, CancellationToken.None);
        Drain();
        return result.Action;
    }

    [Benchmark]
    public async Task<MilterMessageAction> SendPrepared()
    {
        Feed(_replies);
        MilterMessageSummary result = await _client.SendPreparedAsync(_prepared, CancellationToken.None);
        Drain();
        return result.Action;
    }

    private void Feed(byte[] bytes)
    {
        _toClient.Writer.Write(bytes);
        _toClient.Writer.FlushAsync().GetAwaiter().GetResult();
    }

    private void Drain()
    {
        if (_toMilter.Reader.TryRead(out ReadResult sent))
        {
            _toMilter.Reader.AdvanceTo(sent.Buffer.End);
        }
    }

    private static byte[] Encode(params MilterResponse[] responses)
    {
        using var writer = new PooledBufferWriter();
        foreach (MilterResponse response in responses)
        {
            MilterFrameWriter.Write(writer, response);
        }

        return writer.WrittenSpan.ToArray();
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
