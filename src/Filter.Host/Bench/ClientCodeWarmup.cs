using System.IO.Pipelines;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Bench;

/// <summary>
/// Runs the client's prepared-message path once over in-memory pipes, against canned replies,
/// before any connection starts, so that its code is compiled before the clock runs: otherwise
/// every connection's first end of message waited while its thread compiled the reply-reading
/// code, all connections at once, on the cores the target needs (≈20 ms on the 2-core VM, each
/// connection's first sample). Touches nothing outside the process; the target sees nothing.
/// </summary>
internal static class ClientCodeWarmup
{
    private static int s_done;

    public static async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref s_done, 1) != 0)
        {
            return;
        }

        var toClient = new Pipe();
        var toMilter = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var client = new MilterClient(new Transport(toClient.Reader, toMilter.Writer), new MilterClientOptions { AbortAfterMessage = false });
        await using (client.ConfigureAwait(false))
        {
            // OPTNEG as a milter that answers only end of message.
            WriteReply(toClient.Writer, new NegotiateResponse(MilterLimits.ProtocolVersion, MilterActionFlags.AddHeaders,
                MilterProtocolFlags.AllNoReply | MilterProtocolFlags.HeaderLeadingSpace, []));
            await toClient.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await client.NegotiateAsync(cancellationToken).ConfigureAwait(false);

            // The replies come only once the client waits for them, so the waiting path (a read
            // that finds nothing buffered) is compiled too: a header edit, then ACCEPT.
            MilterClientMessage message = MilterClientMessage.Parse("Subject: warmup\r\n\r\nbody\r\n"u8.ToArray(), "<a@localhost>", ["<b@localhost>"]);
            ValueTask<MilterMessageSummary> sending = client.SendPreparedAsync(client.Prepare(message), cancellationToken);
            WriteReply(toClient.Writer, new InsertHeaderResponse(0, "X-Warmup", "1"));
            WriteReply(toClient.Writer, SimpleResponse.Accept);
            await toClient.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await sending.ConfigureAwait(false);
        }
    }

    private static void WriteReply(PipeWriter writer, MilterResponse response) => MilterFrameWriter.Write(writer, response);

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
