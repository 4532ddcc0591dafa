using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Filter.Milter.Server;
using Filter.Testing.Net;

namespace Filter.Milter.Tests.Server;

/// <summary>The server's reader straight from a socket, over a real loopback TCP pair.</summary>
public sealed class SocketPipeReaderTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Bytes_sent_one_at_a_time_are_read_whole_and_in_order()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var reader = new SocketPipeReader(server);
            byte[] expected = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
            Task sending = Task.Run(async () =>
            {
                foreach (byte b in expected)
                {
                    await client.SendAsync(new[] { b });
                }
            });

            // Examine everything, consume nothing: each read must then bring more than the last.
            byte[] all = await ReadUntilAsync(reader, expected.Length);
            await sending;
            Assert.That(all, Is.EqualTo(expected));
            reader.Complete();
        }
    }

    [Test]
    public async Task A_frame_larger_than_the_buffer_grows_it_and_a_consumed_front_is_reused()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var reader = new SocketPipeReader(server);
            byte[] big = new byte[200_000];
            new Random(3).NextBytes(big);
            Task sending = client.SendAsync(big);
            ReadResult whole;
            while (true)
            {
                whole = await reader.ReadAsync().AsTask().WaitAsync(s_timeout);
                if (whole.Buffer.Length >= big.Length)
                {
                    break;
                }

                reader.AdvanceTo(whole.Buffer.Start, whole.Buffer.End);
            }

            await sending;
            Assert.That(whole.Buffer.ToArray(), Is.EqualTo(big));
            Assert.That(reader.BufferCapacity, Is.GreaterThanOrEqualTo(big.Length), "grown to hold the whole frame");

            // Consume all but a 10-byte tail (part of the next frame), then more arrives behind it.
            reader.AdvanceTo(whole.Buffer.GetPosition(big.Length - 10), whole.Buffer.End);
            await client.SendAsync(new byte[] { 1, 2, 3 });
            byte[] rest = await ReadUntilAsync(reader, 13);
            Assert.That(rest, Is.EqualTo(big[^10..].Concat(new byte[] { 1, 2, 3 }).ToArray()));
            reader.Complete();
        }
    }

    [Test]
    public async Task An_idle_reader_holds_no_buffer_while_it_waits()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var reader = new SocketPipeReader(server);
            await client.SendAsync(new byte[] { 42 });
            ReadResult result = await reader.ReadAsync().AsTask().WaitAsync(s_timeout);
            Assert.That(reader.BufferCapacity, Is.GreaterThan(0));
            reader.AdvanceTo(result.Buffer.End);

            ValueTask<ReadResult> waiting = reader.ReadAsync();
            await Task.Delay(50);
            Assert.Multiple(() =>
            {
                Assert.That(waiting.IsCompleted, Is.False);
                Assert.That(reader.BufferCapacity, Is.Zero, "nothing buffered, nothing held");
            });

            await client.SendAsync(new byte[] { 7 });
            ReadResult next = await waiting.AsTask().WaitAsync(s_timeout);
            Assert.That(next.Buffer.ToArray(), Is.EqualTo(new byte[] { 7 }));
            reader.Complete();
        }
    }

    [Test]
    public async Task CancelPendingRead_ends_a_waiting_read_as_cancelled_and_the_next_read_gets_the_data()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var reader = new SocketPipeReader(server);
            ValueTask<ReadResult> waiting = reader.ReadAsync();
            await Task.Delay(50);
            reader.CancelPendingRead();
            ReadResult cancelled = await waiting.AsTask().WaitAsync(s_timeout);
            reader.AdvanceTo(cancelled.Buffer.Start, cancelled.Buffer.End);

            // Requested before a read: that read comes back cancelled at once.
            reader.CancelPendingRead();
            ReadResult early = await reader.ReadAsync().AsTask().WaitAsync(s_timeout);
            reader.AdvanceTo(early.Buffer.Start, early.Buffer.End);

            await client.SendAsync(new byte[] { 5, 6 });
            byte[] data = await ReadUntilAsync(reader, 2);
            Assert.Multiple(() =>
            {
                Assert.That(cancelled.IsCanceled, Is.True);
                Assert.That(early.IsCanceled, Is.True);
                Assert.That(data, Is.EqualTo(new byte[] { 5, 6 }));
            });
            reader.Complete();
        }
    }

    [Test]
    public async Task A_caller_token_cancels_the_read_with_an_exception()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        using (client)
        {
            var reader = new SocketPipeReader(server);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            Assert.That(async () => await reader.ReadAsync(cancel.Token), Throws.InstanceOf<OperationCanceledException>());
            reader.Complete();
        }
    }

    [Test]
    public async Task The_peer_closing_mid_frame_completes_the_read_with_what_arrived()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        {
            var reader = new SocketPipeReader(server);
            await client.SendAsync(new byte[] { 0, 0, 0, 9, (byte)'B' });
            client.Shutdown(SocketShutdown.Send);
            client.Dispose();

            ReadResult result;
            while (true)
            {
                result = await reader.ReadAsync().AsTask().WaitAsync(s_timeout);
                if (result.IsCompleted)
                {
                    break;
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }

            Assert.That(result.Buffer.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 9, (byte)'B' }), "end of stream inside a packet: the session sees the piece");
            reader.AdvanceTo(result.Buffer.End);
            reader.Complete();
        }
    }

    [Test]
    public async Task A_reset_surfaces_as_an_IOException_as_a_network_stream_would()
    {
        (Socket server, Socket client) = await LoopbackSocketPair.ConnectAsync();
        using (server)
        {
            var reader = new SocketPipeReader(server);
            ValueTask<ReadResult> waiting = reader.ReadAsync();
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            Assert.That(async () => await waiting.AsTask().WaitAsync(s_timeout), Throws.InstanceOf<IOException>());
            reader.Complete();
        }
    }

    private static async Task<byte[]> ReadUntilAsync(SocketPipeReader reader, int length)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync().AsTask().WaitAsync(s_timeout);
            if (result.Buffer.Length >= length || result.IsCompleted)
            {
                byte[] bytes = result.Buffer.Slice(0, Math.Min(length, result.Buffer.Length)).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(bytes.Length), result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
