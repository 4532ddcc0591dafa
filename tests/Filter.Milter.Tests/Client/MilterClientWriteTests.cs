using System.IO.Pipelines;
using System.Text;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Client;

/// <summary>
/// How the client writes a whole message: Postfix buffers the commands a milter does not answer and
/// writes them when one is answered or its 4 KiB buffer is full (milter8.c over VSTREAM); Sendmail
/// writes each packet at once. The load tool must be able to do both, since a milter's cost per
/// message depends on how many reads the MTA's writes turn into.
/// </summary>
public sealed class MilterClientWriteTests
{
    private const MilterProtocolFlags NoReplyUpToEndOfMessage = MilterProtocolFlags.AllNoReply | MilterProtocolFlags.HeaderLeadingSpace;

    [Test]
    public async Task Postfix_style_writes_every_unanswered_command_with_end_of_message()
    {
        Script script = await ScriptAsync(new MilterClientOptions(), Message(bodyBytes: 200));

        Assert.Multiple(() =>
        {
            // OPTNEG; MAIL..EOM in one write; ABORT buffered until QUIT.
            Assert.That(script.Flushes, Has.Count.EqualTo(3));
            Assert.That(Codes(script.Commands), Is.EqualTo("OMRTLLNBEAQ"));
            Assert.That(script.FlushesThroughEndOfMessage, Is.EqualTo(2), "MAIL through EOM in one flush");
            Assert.That(script.Flushes[2], Is.EqualTo(10), "ABORT and QUIT together");
        });
    }

    [Test]
    public async Task Sendmail_style_writes_every_command_at_once()
    {
        Script script = await ScriptAsync(new MilterClientOptions { CoalesceUnansweredCommands = false }, Message(bodyBytes: 200));

        Assert.Multiple(() =>
        {
            Assert.That(Codes(script.Commands), Is.EqualTo("OMRTLLNBEAQ"));
            Assert.That(script.Flushes, Has.Count.EqualTo(script.Commands.Count), "one flush per packet");
        });
    }

    [Test]
    public async Task A_full_buffer_is_written_before_an_answer_is_due()
    {
        Script script = await ScriptAsync(new MilterClientOptions(), Message(bodyBytes: 10_000));

        Assert.Multiple(() =>
        {
            Assert.That(Codes(script.Commands), Is.EqualTo("OMRTLLNBEAQ"));
            // OPTNEG; MAIL..BODY (over 4 KiB, so written then); EOM; QUIT with the buffered ABORT.
            Assert.That(script.Flushes, Has.Count.EqualTo(4));
            Assert.That(script.Flushes[1], Is.GreaterThanOrEqualTo(10_000));
            Assert.That(script.Flushes[2], Is.EqualTo(5), "EOM alone");
        });
    }

    [Test]
    public async Task Answered_steps_still_flush_before_reading()
    {
        // No NR_* bits: every step is answered, so coalescing never holds a command back.
        Script script = await ScriptAsync(new MilterClientOptions(), Message(bodyBytes: 200), MilterProtocolFlags.HeaderLeadingSpace);

        Assert.Multiple(() =>
        {
            Assert.That(Codes(script.Commands), Is.EqualTo("OMRTLLNBEAQ"));
            // Every command up to EOM is flushed alone; ABORT rides with QUIT.
            Assert.That(script.Flushes, Has.Count.EqualTo(script.Commands.Count - 1));
        });
    }

    private static MilterClientMessage Message(int bodyBytes)
    {
        byte[] raw = [.. Encoding.ASCII.GetBytes("From: a@example.org\r\nSubject: hi\r\n\r\n"), .. new byte[bodyBytes]];
        return MilterClientMessage.Parse(raw, "<a@example.org>", ["<b@example.net>"]);
    }

    private static async Task<Script> ScriptAsync(MilterClientOptions options, MilterClientMessage message, MilterProtocolFlags protocol = NoReplyUpToEndOfMessage)
    {
        var toClient = new Pipe();
        var toMilter = new Pipe();
        var writer = new CountingPipeWriter(toMilter.Writer);
        var client = new MilterClient(new Transport(toClient.Reader, writer), options);

        // The milter's side, scripted: OPTNEG, then CONTINUE for each answered step, ACCEPT at EOM.
        var replies = new List<MilterResponse> { new NegotiateResponse(6, MilterActionFlags.AddHeaders, protocol, []) };
        if ((protocol & MilterProtocolFlags.NoReplyMail) == 0)
        {
            replies.AddRange([SimpleResponse.Continue, SimpleResponse.Continue, SimpleResponse.Continue, SimpleResponse.Continue, SimpleResponse.Continue, SimpleResponse.Continue, SimpleResponse.Continue]);
        }

        replies.Add(SimpleResponse.Accept);
        await toClient.Writer.WriteAsync(Frames.Encode([.. replies]));

        await client.NegotiateAsync(CancellationToken.None);
        MilterMessageResult result = await client.SendMessageAsync(message, CancellationToken.None);
        Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
        int throughEndOfMessage = writer.Flushes.Count;

        await client.SendQuitAsync(CancellationToken.None);
        await client.DisposeAsync();

        ReadResult read = await toMilter.Reader.ReadAsync();
        List<MilterCommand> commands = Frames.DecodeCommands(read.Buffer);
        toMilter.Reader.AdvanceTo(read.Buffer.End);
        return new Script([.. writer.Flushes], commands, throughEndOfMessage);
    }

    private static string Codes(IEnumerable<MilterCommand> commands)
    {
        var codes = new StringBuilder();
        foreach (MilterCommand command in commands)
        {
            codes.Append((char)(byte)command.Code);
        }

        return codes.ToString();
    }

    private sealed record Script(List<int> Flushes, List<MilterCommand> Commands, int FlushesThroughEndOfMessage);

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
