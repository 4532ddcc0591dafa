using System.IO.Pipelines;
using System.Net.Sockets;
using Filter.Milter.Server;
using Filter.Testing.Net;

namespace Filter.Milter.Tests.Server;

/// <summary>The server's writer straight onto a socket, over a real loopback TCP pair.</summary>
public sealed class SocketPipeWriterTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_flush_sends_everything_written_since_the_last_one_in_one_segment()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var writer = new SocketPipeWriter(server);
            uint before = TcpInfo.DataSegmentsIn(client) ?? 0;
            Write(writer, [1, 2, 3]);
            Write(writer, [4, 5]);
            Assert.That(writer.UnflushedBytes, Is.EqualTo(5));
            FlushResult result = await writer.FlushAsync();
            byte[] received = await ReceiveAsync(client, 5);

            Assert.Multiple(() =>
            {
                Assert.That(result.IsCanceled, Is.False);
                Assert.That(received, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
                Assert.That(writer.UnflushedBytes, Is.Zero, "the buffer went back after the flush");
            });
            if (TcpInfo.IsSupported(client))
            {
                Assert.That(TcpInfo.DataSegmentsIn(client)!.Value - before, Is.EqualTo(1), "two writes, one flush, one segment");
            }

            writer.Complete();
        }
    }

    [Test]
    public async Task A_batch_larger_than_the_first_buffer_grows_it_and_arrives_whole()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var writer = new SocketPipeWriter(server);
            byte[] expected = new byte[300_000];
            new Random(7).NextBytes(expected);
            for (int offset = 0; offset < expected.Length; offset += 1000)
            {
                Write(writer, expected.AsSpan(offset, 1000));
            }

            // The receiver reads while the sender sends: more than a socket buffer may be in flight.
            Task<byte[]> receiving = ReceiveAsync(client, expected.Length);
            await writer.FlushAsync();
            Assert.That(await receiving.WaitAsync(s_timeout), Is.EqualTo(expected));
            writer.Complete();
        }
    }

    [Test]
    public async Task Completing_while_a_send_is_in_flight_keeps_its_buffer_until_the_send_ends()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var writer = new SocketPipeWriter(server);
            byte[] expected = new byte[8_000_000];
            new Random(11).NextBytes(expected);
            Write(writer, expected);

            // Nobody reads yet, so the send cannot finish: the flush is in flight when Complete comes.
            ValueTask<FlushResult> flushing = writer.FlushAsync();
            Assume.That(flushing.IsCompleted, Is.False, "8 MB do not fit in the loopback socket buffers");
            writer.Complete();

            // Were the buffer back in the pool, these would be handed it and overwrite what is being sent.
            for (int i = 0; i < 4; i++)
            {
                byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(expected.Length);
                rented.AsSpan().Fill(0xFF);
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }

            byte[] received = await ReceiveAsync(client, expected.Length);
            await flushing;
            Assert.That(received.AsSpan().SequenceEqual(expected), Is.True, "the bytes sent are the bytes written");
        }
    }

    [Test]
    public async Task Flush_with_nothing_written_sends_nothing_and_a_cancelled_flush_says_so()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var writer = new SocketPipeWriter(server);
            FlushResult empty = await writer.FlushAsync();
            writer.CancelPendingFlush();
            Write(writer, [9]);
            FlushResult cancelled = await writer.FlushAsync();
            FlushResult sent = await writer.FlushAsync();
            byte[] received = await ReceiveAsync(client, 1);

            Assert.Multiple(() =>
            {
                Assert.That(empty.IsCanceled, Is.False);
                Assert.That(cancelled.IsCanceled, Is.True);
                Assert.That(sent.IsCanceled, Is.False);
                Assert.That(received, Is.EqualTo(new byte[] { 9 }), "the byte stayed buffered through the cancelled flush");
            });
            writer.Complete();
        }
    }

    [Test]
    public async Task A_peer_that_vanished_surfaces_as_an_IOException_as_a_network_stream_would()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        {
            // RST on close: the next sends fail instead of filling a buffer nobody reads.
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            var writer = new SocketPipeWriter(server);
            Assert.That(async () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    Write(writer, new byte[1000]);
                    await writer.FlushAsync();
                    await Task.Delay(10);
                }
            }, Throws.InstanceOf<IOException>().With.InnerException.InstanceOf<SocketException>());
            writer.Complete();
        }
    }

    private static void Write(SocketPipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        byte[] buffer = new byte[length];
        int total = 0;
        while (total < length)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(total)).AsTask().WaitAsync(s_timeout);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer[..total];
    }
}
