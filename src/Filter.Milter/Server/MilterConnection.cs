using System.Net.Sockets;
using Filter.Milter.Session;

namespace Filter.Milter.Server;

/// <summary>One accepted connection and the task running its session.</summary>
internal sealed class MilterConnection(long id, Socket socket, MilterSession session)
{
    public long Id { get; } = id;

    public Socket Socket { get; } = socket;

    public MilterSession Session { get; } = session;

    public Task? Task { get; set; }
}
