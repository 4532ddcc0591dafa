using BenchmarkDotNet.Attributes;
using Filter.Benchmarks.Support;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Benchmarks;

/// <summary>
/// One whole message through a live <see cref="MilterSession"/> over in-memory pipes, driven by
/// <see cref="MilterClient"/> as Postfix would (headers, body, end of message, ABORT), with a
/// handler that only observes and answers end of message with an inserted header. This is the
/// milter layer's own cost per message, both ends, without sockets.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*MilterSession*'
/// </summary>
[MemoryDiagnoser]
public class MilterSessionBenchmarks
{
    private InMemoryMilterRig _rig = null!;
    private MilterClientMessage _message = null!;

    /// <summary>
    /// False: the client buffers the commands the milter does not answer, as Postfix does (one read
    /// per message for the session). True: one write per packet, as Sendmail does.
    /// </summary>
    [Params(false, true)]
    public bool WriteEachCommand { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rig = InMemoryMilterRig.Start(new ObserverFactory(), WriteEachCommand, sendHelo: false);

        string headers = "Received: from client.example.org (client.example.org [198.51.100.7])\r\n\tby relay.example.org with ESMTPS id 1234\r\n"
            + "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: Quarterly report\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <20261124100000.1234@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        byte[] raw = [.. System.Text.Encoding.ASCII.GetBytes(headers), .. new byte[4096]];
        _message = MilterClientMessage.Parse(raw, "<alice@example.org>", ["<bob@example.net>"]) with
        {
            Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
            {
                [MilterCommandCode.Mail] = [new("{mail_addr}", "alice@example.org")],
                [MilterCommandCode.Header] = [new("i", "4QX2Lm0Zk9z")],
                [MilterCommandCode.EndOfMessage] = [new("i", "4QX2Lm0Zk9z")],
            },
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rig.Stop();
    }

    /// <summary>MAIL, RCPT, DATA, 9 headers (each with Postfix's 'L' macros), EOH, a 4 KiB body, EOM, ABORT.</summary>
    [Benchmark]
    public Task<MilterMessageResult> OneMessage() => _rig.Client.SendMessageAsync(_message, CancellationToken.None);

    private sealed class ObserverFactory : IMilterHandlerFactory
    {
        private static readonly MilterMessageOutcome s_outcome = new MilterMessageEdits()
            .InsertHeader(0, "Authentication-Results", "mx.example.net; spf=pass smtp.mailfrom=example.org")
            .ToOutcome(MilterDecision.Continue);

        public MilterCapabilities Capabilities { get; } = new(MilterSteps.All, MilterSteps.None, MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders, []);

        public IMilterHandler CreateHandler(MilterSessionInfo session) => new Observer();

        private sealed class Observer : IMilterHandler
        {
            public ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken) =>
                ValueTask.FromResult(s_outcome);
        }
    }
}
