using Filter.Milter.Server;

namespace Filter.Host.Bench;

/// <summary>What a throughput run does.</summary>
/// <param name="Target">The milter to load.</param>
/// <param name="Connections">Concurrent milter connections, each sending its share of messages one after another.</param>
/// <param name="Messages">Messages to send in the measured run, over all connections.</param>
/// <param name="Warmup">Messages to send first, unmeasured, over the same number of connections.</param>
internal sealed record BenchOptions(MilterSocketSpec Target, int Connections, int Messages, int Warmup = 0)
{
    /// <summary>The SMTP client every session claims to be: loopback, so no rival treats it as foreign.</summary>
    public string ClientAddress { get; init; } = "127.0.0.1";

    /// <summary>HELO name of the SMTP client.</summary>
    public string HeloName { get; init; } = "bench.localhost";

    /// <summary>
    /// How long the tool waits before a message counts as a timeout and its connection is dropped:
    /// for the whole message back to back (a timer per message), for each send and each reply on
    /// a paced run's blocking sockets (their send and receive timeouts; as an MTA's milter
    /// timeouts, each PROGRESS restarts the wait).
    /// </summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Write every command as it is made, as Sendmail does, instead of buffering the commands the
    /// milter does not answer until one it answers, as Postfix does (the default).
    /// </summary>
    public bool WriteEachCommand { get; init; }

    /// <summary>
    /// Messages per second over all connections (<see cref="BenchPacing"/>), or null to send each
    /// connection's messages back to back (a closed loop: the most the target can take).
    /// </summary>
    public double? Rate { get; init; }
}
