namespace Filter.Milter.Session;

/// <summary>Who a session talks to, for logs and for the handler factory.</summary>
/// <param name="SessionId">A number unique within the process.</param>
/// <param name="RemoteEndPoint">The MTA's end of the milter socket, as text ("unix" for Unix sockets, "memory" for pipes).</param>
public sealed record MilterSessionInfo(long SessionId, string RemoteEndPoint);
