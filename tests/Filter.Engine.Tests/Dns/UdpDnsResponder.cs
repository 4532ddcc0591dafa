using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// A real UDP peer on 127.0.0.1 for the live resolver's failure paths: it reads each query and
/// answers what <c>respond</c> makes of it (null: stays silent). Not a DNS server: it never looks
/// anything up, it only produces the broken or failing replies that real servers send.
/// </summary>
internal sealed class UdpDnsResponder : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<byte[], byte[]?> _respond;
    private readonly Task _loop;
    private int _queries;

    public UdpDnsResponder(Func<byte[], byte[]?> respond)
    {
        _respond = respond;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint { get; }

    public int Queries => Volatile.Read(ref _queries);

    /// <summary>A reply echoing the query's id and question with <paramref name="rcode"/> and no records (RFC 1035 §4.1.1).</summary>
    public static byte[] Reply(byte[] query, int rcode, bool truncated = false)
    {
        var questionEnd = 12;
        while (query[questionEnd] != 0)
        {
            questionEnd += query[questionEnd] + 1;
        }

        questionEnd += 1 + 4; // root label, QTYPE, QCLASS
        var reply = new byte[questionEnd];
        query.AsSpan(0, questionEnd).CopyTo(reply);
        //  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
        // QR|  Opcode   |AA|TC|RD|RA|  Z     |   RCODE
        reply[2] = (byte)(0x80 | (truncated ? 0x02 : 0) | (query[2] & 0x01));
        reply[3] = (byte)(0x80 | rcode);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        return reply;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException exception) when (exception.InnerException is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The loop ends by its socket being closed under it.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            Interlocked.Increment(ref _queries);
            var reply = _respond(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
            if (reply is not null)
            {
                await _socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
    }
}
