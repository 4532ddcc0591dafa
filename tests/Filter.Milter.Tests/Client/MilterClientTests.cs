using System.IO.Pipelines;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Client;

/// <summary>The client against a milter scripted as raw bytes: it checks replies as an MTA does.</summary>
public sealed class MilterClientTests
{
    [Test]
    public async Task Refuses_a_milter_that_wants_actions_beyond_the_offer()
    {
        (MilterClient client, Pipe toClient) = Create(new MilterClientOptions { Actions = MilterActionFlags.AddHeaders });
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.AddHeaders | MilterActionFlags.ChangeBody, MilterProtocolFlags.None, [])));
        MilterProtocolException? exception = Assert.ThrowsAsync<MilterProtocolException>(() => client.NegotiateAsync(CancellationToken.None));
        Assert.That(exception!.Violation.Kind, Is.EqualTo(MilterViolationKind.Unexpected));
    }

    [Test]
    public async Task Refuses_a_higher_version_than_offered()
    {
        (MilterClient client, Pipe toClient) = Create(new MilterClientOptions { Version = 4 });
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.None, MilterProtocolFlags.None, [])));
        MilterProtocolException? exception = Assert.ThrowsAsync<MilterProtocolException>(() => client.NegotiateAsync(CancellationToken.None));
        Assert.That(exception!.Violation.Kind, Is.EqualTo(MilterViolationKind.UnsupportedVersion));
    }

    [Test]
    public async Task Does_not_wait_for_no_reply_steps_and_counts_progress()
    {
        (MilterClient client, Pipe toClient) = Create(null);
        await toClient.Writer.WriteAsync(Frames.Encode(
            new NegotiateResponse(6, MilterActionFlags.AddHeaders, MilterProtocolFlags.NoReplyHelo, []),
            SimpleResponse.Progress,
            SimpleResponse.Progress,
            SimpleResponse.Reject));
        await client.NegotiateAsync(CancellationToken.None);
        MilterReply helo = await client.SendHeloAsync("x", CancellationToken.None);
        MilterReply mail = await client.SendMailAsync("<a@b>", [], CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(helo, Is.SameAs(MilterReply.None));
            Assert.That(mail.Code, Is.EqualTo(MilterResponseCode.Reject));
            Assert.That(mail.ProgressCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_modification_outside_end_of_message_is_a_violation()
    {
        (MilterClient client, Pipe toClient) = Create(null);
        await toClient.Writer.WriteAsync(Frames.Encode(new NegotiateResponse(6, MilterActionFlags.AddHeaders, MilterProtocolFlags.None, []), new AddHeaderResponse("X", "y")));
        await client.NegotiateAsync(CancellationToken.None);
        Assert.ThrowsAsync<MilterProtocolException>(() => client.SendMailAsync("<a@b>", [], CancellationToken.None));
    }

    [Test]
    public async Task A_milter_that_closes_raises_io_exception()
    {
        (MilterClient client, Pipe toClient) = Create(null);
        await toClient.Writer.CompleteAsync();
        Assert.ThrowsAsync<IOException>(() => client.NegotiateAsync(CancellationToken.None));
    }

    private static (MilterClient Client, Pipe ToClient) Create(MilterClientOptions? options)
    {
        var toClient = new Pipe();
        var toMilter = new Pipe();
        return (new MilterClient(new Transport(toClient.Reader, toMilter.Writer), options), toClient);
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
