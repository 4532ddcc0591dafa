namespace Filter.Host.Bench;

/// <summary>
/// When each message of a paced run (<c>--rate</c>) is due. Real MTAs do not send back to back: a
/// closed loop at full speed only measures queueing (by Little's law, N connections in flight at X
/// messages/s wait N/X on average), so latency at a given load needs an open schedule. The load is
/// spread evenly: connection c of N sends its k-th message at (k·N + c) / rate seconds after the start,
/// so together the connections send one message every 1/rate seconds.
/// </summary>
internal static class BenchPacing
{
    /// <summary>The offset from the run's start at which <paramref name="connection"/>'s message number <paramref name="sequence"/> is due.</summary>
    public static TimeSpan DueOffset(int connection, int connections, int sequence, double messagesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messagesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(connection);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connections, connection);
        return TimeSpan.FromSeconds(((double)sequence * connections + connection) / messagesPerSecond);
    }
}
