using System.Buffers;
using System.IO.Pipelines;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Support;

/// <summary>
/// A <see cref="MilterSession"/> over two in-memory pipes: tests write the MTA's bytes (raw or
/// through a <see cref="MilterClient"/>) and read what the session answers.
/// </summary>
internal sealed class InMemorySession
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    private InMemorySession(IMilterHandlerFactory factory, MilterSessionOptions options, ListLogger<MilterSession> logger, CancellationToken cancellationToken)
    {
        Output = new CountingPipeWriter(_toClient.Writer);
        Logger = logger;
        Session = new MilterSession(new DuplexPipe(_toServer.Reader, Output), factory, new MilterSessionInfo(1, "memory"), options, logger);
        Run = Task.Run(() => Session.RunAsync(cancellationToken));
    }

    public MilterSession Session { get; }

    public Task Run { get; }

    public CountingPipeWriter Output { get; }

    public ListLogger<MilterSession> Logger { get; }

    public static InMemorySession Start(IMilterHandlerFactory factory, MilterSessionOptions? options = null, CancellationToken cancellationToken = default) =>
        new(factory, options ?? new MilterSessionOptions(), new ListLogger<MilterSession>(), cancellationToken);

    /// <summary>A client speaking to the session (use either the client or the raw methods, not both).</summary>
    public MilterClient CreateClient(MilterClientOptions? options = null) => new(new DuplexPipe(_toClient.Reader, _toServer.Writer), options);

    public async Task WriteAsync(byte[] bytes, bool oneByteAtATime = false)
    {
        if (!oneByteAtATime)
        {
            await _toServer.Writer.WriteAsync(bytes);
            return;
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            await _toServer.Writer.WriteAsync(bytes.AsMemory(i, 1));
        }
    }

    public Task WriteAsync(params MilterCommand[] commands) => WriteAsync(Frames.Encode(commands));

    /// <summary>Ends the MTA's side (if not yet), waits for the session to end, returns everything it wrote.</summary>
    public async Task<List<MilterResponse>> FinishAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
        return await ReadAllAsync();
    }

    /// <summary>Waits for the session to end by itself (a violation, QUIT), returns everything it wrote.</summary>
    public async Task<List<MilterResponse>> WaitForEndAsync()
    {
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
        await _toServer.Writer.CompleteAsync();
        return await ReadAllAsync();
    }

    private async Task<List<MilterResponse>> ReadAllAsync()
    {
        var all = new List<byte>();
        while (true)
        {
            ReadResult result = await _toClient.Reader.ReadAsync();
            all.AddRange(result.Buffer.ToArray());
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        return Frames.DecodeResponses(new ReadOnlySequence<byte>([.. all]));
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
