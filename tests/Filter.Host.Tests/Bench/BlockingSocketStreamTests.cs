using System.Net.Sockets;
using Filter.Host.Bench;
using Filter.Testing.Net;

namespace Filter.Host.Tests.Bench;

/// <summary>The paced load tool's blocking transport, over a real loopback TCP pair.</summary>
public sealed class BlockingSocketStreamTests
{
    [Test]
    public async Task Async_reads_and_writes_complete_on_the_calling_thread()
    {
        (Socket far, Socket near) = await LoopbackSocketPair.ConnectAsync();
        using var stream = new BlockingSocketStream(near);
        using (far)
        {
            ValueTask write = stream.WriteAsync(new byte[] { 1, 2, 3 });
            Assert.That(write.IsCompletedSuccessfully, Is.True, "the write happened before WriteAsync returned");
            byte[] received = new byte[3];
            Assert.That(far.Receive(received), Is.EqualTo(3));
            Assert.That(received, Is.EqualTo(new byte[] { 1, 2, 3 }));

            far.Send([9, 8]);
            byte[] buffer = new byte[16];
            ValueTask<int> read = stream.ReadAsync(buffer);
            Assert.That(read.IsCompletedSuccessfully, Is.True, "the read blocked until data came, then returned completed");
            Assert.That(buffer.AsSpan(0, read.Result).ToArray(), Is.EqualTo(new byte[] { 9, 8 }));
        }
    }

    [Test]
    public async Task A_peer_that_closes_reads_as_end_of_stream()
    {
        (Socket far, Socket near) = await LoopbackSocketPair.ConnectAsync();
        using var stream = new BlockingSocketStream(near);
        far.Dispose();
        Assert.That(await stream.ReadAsync(new byte[16]), Is.Zero);
    }

    [Test]
    public async Task A_receive_timeout_surfaces_as_an_IOException_in_the_task()
    {
        (Socket far, Socket near) = await LoopbackSocketPair.ConnectAsync();
        near.ReceiveTimeout = 50;
        using var stream = new BlockingSocketStream(near);
        using (far)
        {
            ValueTask<int> read = stream.ReadAsync(new byte[16]);
            Assert.That(read.IsFaulted, Is.True);
            Assert.ThrowsAsync<IOException>(async () => await read);
        }
    }
}
