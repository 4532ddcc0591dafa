namespace Filter.Host.Hosting;

/// <summary>
/// Makes .NET run socket completions on its epoll threads instead of handing each one to the thread
/// pool, unless the environment already says otherwise.
/// </summary>
/// <remarks>
/// Why: a milter exchange is a string of short, non-blocking steps (decode a few frames, feed the
/// engine, write one batch), and every hand-off to the pool is a futex wake of a sleeping worker on
/// another core. Run inline, one message costs 15–30 % less CPU and its end-of-message answer comes
/// back sooner when the daemon is lightly loaded (figures: README, "Benchmarking a milter"). Running
/// inline is safe only if no continuation waits for another socket: DNS queries are awaited, log
/// lines go into a buffer under a short lock that their own thread writes out, recording writes
/// through buffered files, and nothing waits synchronously on a task. .NET reads
/// the switch once, when the first socket is registered, and only from the environment
/// (System.Net.Sockets SocketAsyncEngine), hence setting it in-process before any socket exists.
/// An administrator who wants the thread-pool dispatch back sets the variable to 0 (e.g. in the
/// systemd unit); an explicit value is never overridden.
/// Only the daemon (<c>serve</c>) runs inline. The load tool (<c>bench</c>) must not: run inline,
/// the connection whose answer has just arrived sends its next message at once from the same
/// thread, and the others wait (at 8 connections back to back: p99 16 ms instead of 5 ms), which
/// no MTA's separate smtpd processes do.
/// </remarks>
internal static class InlineSocketCompletions
{
    /// <summary>Whether the command line runs the daemon, the one verb that runs inline.</summary>
    public static bool AppliesTo(IReadOnlyList<string> args) => args.Count > 0 && args[0] == "serve";

    /// <summary>The environment variable .NET's socket engine reads on Linux and the BSDs.</summary>
    public const string VariableName = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the variable to 1 for this process when it is not set; returns the value in force.</summary>
    public static string ApplyDefault()
    {
        string? configured = Environment.GetEnvironmentVariable(VariableName);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        Environment.SetEnvironmentVariable(VariableName, "1");
        return "1";
    }
}
