namespace Filter.Host.Bench;

/// <summary>
/// What a throughput run measured. Every message attempt ends in exactly one of: accepted,
/// rejected, tempfailed, discarded, or an error (connection failure, lost connection, protocol
/// violation, timeout), so the counts add up to <see cref="Attempted"/>.
/// </summary>
internal sealed class BenchResult
{
    public long Attempted { get; set; }

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public long TempFailed { get; set; }

    public long Discarded { get; set; }

    /// <summary>Messages that got no verdict because the connection or negotiation to the milter failed.</summary>
    public long ConnectFailures { get; set; }

    /// <summary>Messages cut short because the milter closed or reset the connection.</summary>
    public long Disconnects { get; set; }

    /// <summary>Messages whose replies broke the milter protocol.</summary>
    public long ProtocolViolations { get; set; }

    /// <summary>Messages that took longer than the per-message timeout.</summary>
    public long Timeouts { get; set; }

    /// <summary>Errors of any kind (each counted once).</summary>
    public long Errors => ConnectFailures + Disconnects + ProtocolViolations + Timeouts;

    /// <summary>Messages with a verdict (accepted, rejected, tempfailed, discarded).</summary>
    public long Completed => Accepted + Rejected + TempFailed + Discarded;

    /// <summary>Wall-clock time of the measured run.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>From writing end of message to reading the final decision, messages decided there only.</summary>
    public LatencyHistogram EndOfMessage { get; } = new();

    /// <summary>From writing MAIL to the final decision, every completed message.</summary>
    public LatencyHistogram WholeMessage { get; } = new();

    /// <summary>Completed messages per second of wall-clock time.</summary>
    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Completed / Elapsed.TotalSeconds : 0;

    /// <summary>Adds one connection's tally into this one (not <see cref="Elapsed"/>).</summary>
    public void Add(BenchResult other)
    {
        Attempted += other.Attempted;
        Accepted += other.Accepted;
        Rejected += other.Rejected;
        TempFailed += other.TempFailed;
        Discarded += other.Discarded;
        ConnectFailures += other.ConnectFailures;
        Disconnects += other.Disconnects;
        ProtocolViolations += other.ProtocolViolations;
        Timeouts += other.Timeouts;
        EndOfMessage.Add(other.EndOfMessage);
        WholeMessage.Add(other.WholeMessage);
    }
}
