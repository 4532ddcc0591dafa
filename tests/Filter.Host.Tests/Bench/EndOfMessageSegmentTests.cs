using System.Net.Sockets;
using Filter.Host.Tests.Hosting;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Server;
using Filter.Testing.Net;

namespace Filter.Host.Tests.Bench;

/// <summary>
/// Latency hygiene of the whole daemon (glue included): all of one end of message's responses
/// (delete of a forged Authentication-Results, our INSHEADER, QUARANTINE, the final reply) reach
/// the MTA in ONE TCP segment, read from the kernel's own count on the MTA's socket. Separate
/// small writes would cost about 40 ms each against an MTA that delays its ACKs (milter reference §18).
/// </summary>
[NonParallelizable]
public sealed class EndOfMessageSegmentTests
{
    [Test]
    public async Task Header_edits_quarantine_and_decision_arrive_in_one_tcp_segment()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync();
        MilterSocketSpec spec = daemon.Socket;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(spec.ToEndPoint());
        Assert.That(TcpInfo.IsSupported(socket), Is.True, "TCP_INFO with tcpi_data_segs_in (Linux 4.6+)");
        await using var client = new MilterClient(new StreamDuplexPipe(new NetworkStream(socket, ownsSocket: true)));
        NegotiateResponse negotiated = await client.NegotiateAsync(CancellationToken.None);
        MilterProtocolFlags skipped = negotiated.Protocol;

        // As an MTA: only the steps the milter asked for (milter reference §4.4).
        await client.SendConnectAsync(new ConnectCommand("client.example", ConnectFamily.Inet, 40000, TestMail.StrangerClient), CancellationToken.None);
        await StepAsync(client, skipped, MilterProtocolFlags.NoHelo, new HeloCommand("mail.stranger.example"));
        await StepAsync(client, skipped, MilterProtocolFlags.NoMail, new MailCommand("<alice@quarantine.example>", []));
        await StepAsync(client, skipped, MilterProtocolFlags.NoRecipient, new RecipientCommand("<bob@example.net>", []));
        foreach ((string name, string value) in new[]
        {
            ("Authentication-Results", "mx.test; dmarc=pass header.from=quarantine.example"),
            ("From", "Alice <alice@quarantine.example>"),
            ("To", "Bob <bob@example.net>"),
            ("Subject", "quarterly figures"),
        })
        {
            await StepAsync(client, skipped, MilterProtocolFlags.NoHeaders, new HeaderCommand(name, System.Text.Encoding.ASCII.GetBytes(value)));
        }

        await StepAsync(client, skipped, MilterProtocolFlags.NoEndOfHeaders, EndOfHeadersCommand.Instance);
        await StepAsync(client, skipped, MilterProtocolFlags.NoBody, new BodyCommand("Hello Bob,\r\n"u8.ToArray()));

        // Every earlier reply has been read (or was negotiated away), so the count moves only for
        // the end of message.
        uint before = TcpInfo.DataSegmentsIn(socket)!.Value;
        MilterEndOfMessageReply reply = await client.SendEndOfMessageAsync(CancellationToken.None);
        uint after = TcpInfo.DataSegmentsIn(socket)!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(reply.Modifications.OfType<ChangeHeaderResponse>().Single().Value, Is.Empty, "the forged Authentication-Results is deleted");
            Assert.That(reply.Modifications.OfType<InsertHeaderResponse>().Single().Index, Is.Zero, "ours goes on top");
            Assert.That(reply.Modifications.OfType<QuarantineResponse>().Single().Reason, Does.StartWith("DMARC fail for quarantine.example"));
            Assert.That(reply.Modifications, Has.Count.EqualTo(3));
            Assert.That(reply.Decision.Code, Is.EqualTo(MilterResponseCode.Accept).Or.EqualTo(MilterResponseCode.Continue));
            Assert.That(after - before, Is.EqualTo(1), "edits, quarantine and decision arrived in one TCP segment");
        });
        await client.SendQuitAsync(CancellationToken.None);
    }

    private static async Task StepAsync(MilterClient client, MilterProtocolFlags skipped, MilterProtocolFlags flag, MilterCommand command)
    {
        if ((skipped & flag) == 0)
        {
            await client.SendAsync(command, CancellationToken.None);
        }
    }
}
