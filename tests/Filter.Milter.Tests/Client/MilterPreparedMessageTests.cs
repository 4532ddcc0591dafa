using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Reflection;
using System.Text;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Client;

/// <summary>
/// A prepared message must be indistinguishable on the wire from <see cref="MilterClient.SendMessageAsync"/>
/// with the same message: the same bytes, the same flushes (Postfix and Sendmail styles), the same
/// early decisions and the same strictness about replies; and reading the common replies must
/// allocate nothing.
/// </summary>
public sealed class MilterPreparedMessageTests
{
    private const MilterProtocolFlags NoReplies = MilterProtocolFlags.AllNoReply | MilterProtocolFlags.HeaderLeadingSpace;

    private static readonly MilterClientOptions s_postfix = new();
    private static readonly MilterClientOptions s_sendmail = new() { CoalesceUnansweredCommands = false };

    private static IEnumerable<TestCaseData> Scenarios()
    {
        MilterResponse[] edited = [new ChangeHeaderResponse(1, "Authentication-Results", ""), new InsertHeaderResponse(0, "Authentication-Results", "x; spf=pass"), SimpleResponse.Accept];
        yield return new TestCaseData(s_postfix, NoReplies, Message(200), edited).SetName("Postfix writes, no replies until end of message");
        yield return new TestCaseData(s_postfix, NoReplies, Message(10_000), edited).SetName("Postfix writes, a body over the 4 KiB buffer");
        yield return new TestCaseData(s_sendmail, NoReplies, Message(10_000), edited).SetName("Sendmail writes, one per packet");
        yield return new TestCaseData(s_postfix with { AbortAfterMessage = false }, NoReplies, Message(200), edited).SetName("No ABORT after the message");
        yield return new TestCaseData(s_postfix, NoReplies & ~MilterProtocolFlags.HeaderLeadingSpace, Message(200), edited).SetName("Leading space removed without HDR_LEADSPC");
        yield return new TestCaseData(s_sendmail, NoReplies, WithMacros(Message(5000, recipients: 3) with { ChunkSize = 1000 }), edited)
            .SetName("Sendmail writes, macros before every step, several recipients and chunks");
        yield return new TestCaseData(s_postfix, NoReplies | MilterProtocolFlags.NoHeaders | MilterProtocolFlags.NoBody | MilterProtocolFlags.NoData,
            WithMacros(Message(3000)), edited).SetName("Steps negotiated away keep their macros");

        MilterClientMessage answered = Message(3000, recipients: 2) with { ChunkSize = 1000 };
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered,
            Then(Continues(Answered(answered)), [SimpleResponse.Progress, new QuarantineResponse("held"), SimpleResponse.Continue]))
            .SetName("Every step answered, PROGRESS and quarantine at end of message");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered,
            Then([SimpleResponse.Continue, SimpleResponse.Reject], Continues(Answered(answered) - 2), [SimpleResponse.Accept]))
            .SetName("One refused recipient is dropped, the message goes on");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered,
            Then([SimpleResponse.Continue, new ReplyCodeResponse("550 5.1.1 no such user"), SimpleResponse.TempFail]))
            .SetName("Every recipient refused ends the message at RCPT");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered,
            Then([SimpleResponse.Continue, SimpleResponse.Discard]))
            .SetName("DISCARD at a recipient decides the message");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered,
            Then(Continues(Answered(answered) - 3), [SimpleResponse.Skip, SimpleResponse.Reject]))
            .SetName("SKIP in the body jumps to end of message");
        yield return new TestCaseData(s_sendmail, MilterProtocolFlags.None, WithMacros(answered),
            Then(Continues(Answered(answered) - 3), [SimpleResponse.Skip, new ReplyCodeResponse("451 4.7.1 later")]))
            .SetName("SKIP with macros, Sendmail writes, 4xx at end of message");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered, Then([new ReplyCodeResponse("421 4.7.0 closing")]))
            .SetName("421 at MAIL shuts the session");
        yield return new TestCaseData(s_postfix, MilterProtocolFlags.None, answered, Then(Continues(4), [SimpleResponse.Accept]))
            .SetName("ACCEPT at a header decides the message");
    }

    [TestCaseSource(nameof(Scenarios))]
    public async Task Sends_what_SendMessageAsync_sends_and_decides_alike(
        MilterClientOptions options, MilterProtocolFlags protocol, MilterClientMessage message, MilterResponse[] replies)
    {
        Exchange expected = await ExchangeAsync(options, protocol, message, replies, prepared: false);
        Exchange actual = await ExchangeAsync(options, protocol, message, replies, prepared: true);

        Assert.Multiple(() =>
        {
            Assert.That(actual.Written, Is.EqualTo(expected.Written), "the same bytes");
            Assert.That(actual.Flushes, Is.EqualTo(expected.Flushes), "the same writes");
            Assert.That(actual.Summary, Is.EqualTo(expected.Summary));
        });
    }

    [Test]
    public async Task A_modification_before_end_of_message_is_a_violation_as_it_is_unprepared()
    {
        MilterResponse[] replies = [new AddHeaderResponse("X", "y")];
        await AssertBothThrowAsync(MilterProtocolFlags.None, replies, MilterViolationKind.Unexpected);
    }

    [Test]
    public async Task Skip_at_end_of_message_is_a_violation_as_it_is_unprepared()
    {
        await AssertBothThrowAsync(NoReplies, [SimpleResponse.Skip], MilterViolationKind.Unexpected);
    }

    [Test]
    public async Task A_malformed_header_edit_is_a_violation_as_it_is_unprepared()
    {
        // INSHEADER with an index but no name.
        byte[] bad = Frames.Hex("00000005 69 00000000");
        await AssertBothThrowAsync(NoReplies, [], MilterViolationKind.Malformed, bad);
    }

    [Test]
    public async Task A_milter_that_closes_mid_message_raises_io_exception()
    {
        (MilterClient client, Pipe toClient, _) = Create(s_postfix);
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.All, NoReplies, [])));
        await client.NegotiateAsync(CancellationToken.None);
        await toClient.Writer.CompleteAsync();

        Assert.ThrowsAsync<IOException>(async () => await client.SendPreparedAsync(client.Prepare(Message(100)), CancellationToken.None));
    }

    [Test]
    public async Task A_message_prepared_for_another_negotiation_is_refused()
    {
        (MilterClient client, Pipe toClient, _) = Create(s_postfix);
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.All, NoReplies, [])));
        await client.NegotiateAsync(CancellationToken.None);
        MilterPreparedMessage other = MilterPreparedMessage.Create(Message(100), MilterProtocolFlags.None);

        Assert.Multiple(() =>
        {
            Assert.That(client.CanSend(other), Is.False);
            Assert.That(client.CanSend(client.Prepare(Message(100))), Is.True);
            Assert.Throws<ArgumentException>(() => client.SendPreparedAsync(other, CancellationToken.None));
        });
    }

    [Test]
    public async Task Common_replies_are_read_without_allocating()
    {
        long unprepared = await AllocatedPerMessageAsync(prepared: false);
        long prepared = await AllocatedPerMessageAsync(prepared: true);

        // A Debug build makes the send's async state machine a heap object even when it completes
        // synchronously (the compiler emits a class there, for Edit and Continue): one object per
        // message, which an optimized build (the one benchmarks run) does not allocate at all.
        bool optimized = typeof(MilterClient).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
        Assert.Multiple(() =>
        {
            Assert.That(prepared, optimized ? Is.Zero : Is.LessThanOrEqualTo(512), $"bytes per message prepared ({unprepared} unprepared)");
            Assert.That(prepared, Is.LessThan(unprepared), "bytes per message");
        });
    }

    /// <summary>Bytes allocated per message in the steady state (the pipes' segment pools warmed up first).</summary>
    private static async Task<long> AllocatedPerMessageAsync(bool prepared)
    {
        var toClient = new Pipe();
        var toMilter = new Pipe();
        var client = new MilterClient(new Transport(toClient.Reader, toMilter.Writer), s_postfix with { AbortAfterMessage = false });
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.All, NoReplies, [])));
        await client.NegotiateAsync(CancellationToken.None);
        MilterClientMessage message = Message(5000);
        MilterPreparedMessage ready = client.Prepare(message);
        byte[] replies = Frames.Encode(new ChangeHeaderResponse(1, "Authentication-Results", ""), new InsertHeaderResponse(0, "Authentication-Results", "x; dkim=pass"), SimpleResponse.Continue);

        const int Warmup = 50;
        const int Messages = 300;
        long allocated = 0;
        for (int i = 0; i < Warmup + Messages; i++)
        {
            await toClient.Writer.WriteAsync(replies);
            long before = GC.GetAllocatedBytesForCurrentThread();
            MilterMessageAction action = prepared
                ? (await client.SendPreparedAsync(ready, CancellationToken.None)).Action
                : (await client.SendMessageAsync(message, CancellationToken.None)).Action;
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (i >= Warmup)
            {
                allocated += after - before;
            }

            Assert.That(action, Is.EqualTo(MilterMessageAction.Accept));
            ReadResult sent = await toMilter.Reader.ReadAsync();
            toMilter.Reader.AdvanceTo(sent.Buffer.End);
        }

        return allocated / Messages;
    }

    private static IEnumerable<TestCaseData> Frames_for_both_readers()
    {
        yield return Case("continue", 'c', "");
        yield return Case("continue with payload", 'c', "x");
        yield return Case("replycode 550", 'y', "550 5.7.1 no\0");
        yield return Case("replycode 421 without NUL", 'y', "421 bye");
        yield return Case("replycode too short", 'y', "45\0");
        yield return Case("replycode not digits", 'y', "4xx later\0");
        yield return Case("replycode 2xx", 'y', "250 ok\0");
        yield return Case("replycode empty", 'y', "");
        yield return Case("replycode non-ASCII", 'y', "4\u00e9\0");
        yield return Case("addheader", 'h', "X\0v\0");
        yield return Case("addheader no value", 'h', "X\0");
        yield return Case("addheader empty name", 'h', "\0v\0");
        yield return Case("addheader empty", 'h', "");
        yield return Case("insheader", 'i', "\0\0\0\0X\0v\0");
        yield return Case("insheader short index", 'i', "\0\0\0");
        yield return Case("chgheader no name", 'm', "\0\0\0\u0001");
        yield return Case("chgfrom one", 'e', "<a@b>\0");
        yield return Case("chgfrom two", 'e', "<a@b>\0SIZE=1\0");
        yield return Case("chgfrom three", 'e', "<a@b>\0x\0y\0");
        yield return Case("chgfrom none", 'e', "");
        yield return Case("addrcpt_par", '2', "<a@b>\0");
        yield return Case("quarantine", 'q', "why\0");
        yield return Case("quarantine empty", 'q', "");
        yield return Case("delrcpt", '-', "<a@b>\0");
        yield return Case("replbody", 'b', "anything");
        yield return Case("optneg", 'O', "\0\0\0\u0006\0\0\u0001\u00ff\0\0\0\0");
        yield return Case("optneg short", 'O', "\0\0\0\u0006");
        yield return Case("optneg with macros", 'O', "\0\0\0\u0006\0\0\u0001\u00ff\0\0\0\0\0\0\0\u0001{x}\0");
        yield return Case("optneg truncated macros", 'O', "\0\0\0\u0006\0\0\u0001\u00ff\0\0\0\0\0\0");
        yield return Case("unknown", 'Z', "");
    }

    [TestCaseSource(nameof(Frames_for_both_readers))]
    public void Validation_agrees_with_parsing(byte code, byte[] payload)
    {
        var frame = new MilterFrame(code, new ReadOnlySequence<byte>(payload));
        bool parsed = MilterResponseParser.TryParse(frame, out _, out MilterProtocolViolation? parseViolation);
        bool valid = MilterResponseParser.TryValidate(frame, out MilterProtocolViolation? validateViolation);

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.EqualTo(parsed));
            Assert.That(validateViolation?.Kind, Is.EqualTo(parseViolation?.Kind));
            Assert.That(validateViolation?.Reason, Is.EqualTo(parseViolation?.Reason));
        });
    }

    private static TestCaseData Case(string name, char code, string payload) =>
        new TestCaseData((byte)code, Encoding.Latin1.GetBytes(payload)).SetName($"Validation agrees with parsing: {name}");

    private static async Task AssertBothThrowAsync(MilterProtocolFlags protocol, MilterResponse[] replies, MilterViolationKind kind, byte[]? raw = null)
    {
        foreach (bool prepared in new[] { false, true })
        {
            (MilterClient client, Pipe toClient, _) = Create(s_postfix);
            await toClient.Writer.WriteAsync(Frames.Encode([new NegotiateResponse(6, MilterActionFlags.All, protocol, []), .. replies]));
            if (raw is not null)
            {
                await toClient.Writer.WriteAsync(raw);
            }

            await client.NegotiateAsync(CancellationToken.None);
            MilterClientMessage message = Message(100);
            MilterProtocolException? exception = prepared
                ? Assert.ThrowsAsync<MilterProtocolException>(async () => await client.SendPreparedAsync(client.Prepare(message), CancellationToken.None))
                : Assert.ThrowsAsync<MilterProtocolException>(() => client.SendMessageAsync(message, CancellationToken.None));
            Assert.That(exception!.Violation.Kind, Is.EqualTo(kind), prepared ? "prepared" : "unprepared");
        }
    }

    private static async Task<Exchange> ExchangeAsync(
        MilterClientOptions options, MilterProtocolFlags protocol, MilterClientMessage message, MilterResponse[] replies, bool prepared)
    {
        (MilterClient client, Pipe toClient, Pipe toMilter) = Create(options, out CountingPipeWriter writer);
        await toClient.Writer.WriteAsync(Frames.Encode([new NegotiateResponse(6, MilterActionFlags.All, protocol, []), .. replies]));
        await client.NegotiateAsync(CancellationToken.None);

        MilterMessageSummary summary;
        if (prepared)
        {
            summary = await client.SendPreparedAsync(client.Prepare(message), CancellationToken.None);
        }
        else
        {
            MilterMessageResult result = await client.SendMessageAsync(message, CancellationToken.None);
            summary = new MilterMessageSummary(result.Action, result.DecidedAt, result.Decision.Code, result.Modifications.Count, result.RejectedRecipients.Count);
        }

        await client.SendQuitAsync(CancellationToken.None);
        await client.DisposeAsync();
        ReadResult read = await toMilter.Reader.ReadAsync();
        byte[] written = read.Buffer.ToArray();
        toMilter.Reader.AdvanceTo(read.Buffer.End);
        return new Exchange(summary, [.. writer.Flushes], written);
    }

    private static (MilterClient Client, Pipe ToClient, Pipe ToMilter) Create(MilterClientOptions options) => Create(options, out _);

    private static (MilterClient Client, Pipe ToClient, Pipe ToMilter) Create(MilterClientOptions options, out CountingPipeWriter writer)
    {
        var toClient = new Pipe();
        // Nothing reads the milter's side until the end: never pause the client's flushes.
        var toMilter = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        writer = new CountingPipeWriter(toMilter.Writer);
        return (new MilterClient(new Transport(toClient.Reader, writer), options), toClient, toMilter);
    }

    private static MilterClientMessage Message(int bodyBytes, int recipients = 1)
    {
        var body = new StringBuilder();
        for (int i = 0; body.Length < bodyBytes; i++)
        {
            body.Append(CultureInfoLine(i));
        }

        byte[] raw = Encoding.ASCII.GetBytes("From: a@example.org\r\nSubject:\tfolded\r\n  twice\r\nX-Empty:\r\n\r\n" + body.ToString(0, bodyBytes));
        return MilterClientMessage.Parse(raw, "<a@example.org>", [.. Enumerable.Range(0, recipients).Select(r => $"<b{r}@example.net>")]);
    }

    private static string CultureInfoLine(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {i} of the body\r\n");

    private static MilterClientMessage WithMacros(MilterClientMessage message) => message with
    {
        Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
        {
            [MilterCommandCode.Mail] = [new("i", "4AbC"), new("{mail_addr}", "a@example.org")],
            [MilterCommandCode.Recipient] = [new("{rcpt_addr}", "b@example.net")],
            [MilterCommandCode.Data] = [new("i", "4AbC")],
            [MilterCommandCode.Header] = [],
            [MilterCommandCode.Body] = [new("j", "mx.example.net")],
            [MilterCommandCode.EndOfMessage] = [new("i", "4AbC")],
        },
    };

    /// <summary>Answered steps before end of message when every step is answered: MAIL, RCPTs, DATA, headers, EOH, chunks.</summary>
    private static int Answered(MilterClientMessage message) =>
        1 + message.Recipients.Count + 1 + message.Headers.Count + 1 + ((message.Body.Length + message.ChunkSize - 1) / message.ChunkSize);

    private static MilterResponse[] Continues(int count) => [.. Enumerable.Repeat<MilterResponse>(SimpleResponse.Continue, count)];

    private static MilterResponse[] Then(params MilterResponse[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed record Exchange(MilterMessageSummary Summary, List<int> Flushes, byte[] Written);

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
