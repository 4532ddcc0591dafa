using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Bench;

/// <summary>
/// Replays a corpus against any milter over N concurrent connections. Each connection behaves
/// like one MTA smtpd process: OPTNEG, CONNECT, HELO once, then its share of the messages one
/// after another on the same session (no ABORT between them: a milter resets after end of
/// message), then QUIT. A connection that fails is reopened for the next message, as an MTA would.
/// Knows nothing of SPF, DKIM or DMARC: it only speaks the milter protocol.
/// </summary>
internal static class BenchRunner
{
    private static readonly MilterClientOptions s_postfixWrites = new() { AbortAfterMessage = false };
    private static readonly MilterClientOptions s_sendmailWrites = s_postfixWrites with { CoalesceUnansweredCommands = false };

    /// <summary>Runs the warmup (unmeasured), then the measured run.</summary>
    public static async Task<BenchResult> RunAsync(BenchCorpus corpus, BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Connections, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Messages);
        if (corpus.Messages.Count == 0)
        {
            throw new ArgumentException("The corpus is empty.", nameof(corpus));
        }

        await ClientCodeWarmup.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (options.Warmup > 0)
        {
            await RunOnceAsync(corpus, options, options.Warmup, cancellationToken).ConfigureAwait(false);
        }

        return await RunOnceAsync(corpus, options, options.Messages, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BenchResult> RunOnceAsync(BenchCorpus corpus, BenchOptions options, int messages, CancellationToken cancellationToken)
    {
        int connections = Math.Min(options.Connections, Math.Max(1, messages));
        long start = Stopwatch.GetTimestamp();
        BenchResult[] tallies = options.Rate is null
            ? await RunOnPoolAsync(corpus, options, connections, messages, cancellationToken).ConfigureAwait(false)
            : await RunOnThreadsAsync(corpus, options, connections, messages, cancellationToken).ConfigureAwait(false);
        var total = new BenchResult { Elapsed = Stopwatch.GetElapsedTime(start) };
        foreach (BenchResult tally in tallies)
        {
            total.Add(tally);
        }

        return total;
    }

    /// <summary>Back to back: the connections are tasks on the thread pool (the client's sockets are asynchronous).</summary>
    private static Task<BenchResult[]> RunOnPoolAsync(
        BenchCorpus corpus, BenchOptions options, int connections, int messages, CancellationToken cancellationToken)
    {
        var tasks = new Task<BenchResult>[connections];
        for (int c = 0; c < connections; c++)
        {
            int index = c;
            tasks[c] = Task.Run(() => RunConnectionAsync(corpus, options, index, connections, messages, blocking: false, cancellationToken), cancellationToken);
        }

        return Task.WhenAll(tasks);
    }

    /// <summary>
    /// Paced (<c>--rate</c>): one thread and one blocking socket per connection, like an MTA's
    /// single-threaded smtpd processes. Latency is what a paced run is for, and on the pool every
    /// answer reached the connection through an epoll thread and a pool hop, which on the 2-core VM
    /// added ≈0.4 ms to the end-of-message p50 the tool reported (README, "Benchmarking a milter").
    /// Back to back keeps the pool: there the tool's own CPU per message matters more.
    /// </summary>
    private static Task<BenchResult[]> RunOnThreadsAsync(
        BenchCorpus corpus, BenchOptions options, int connections, int messages, CancellationToken cancellationToken)
    {
        PacedSleep.Prepare();
        var tallies = new BenchResult[connections];
        var threads = new Thread[connections];
        Exception? failure = null;
        for (int c = 0; c < connections; c++)
        {
            int index = c;
            threads[c] = new Thread(() =>
            {
                try
                {
                    // Everything below completes synchronously on this thread (blocking socket).
                    tallies[index] = RunConnectionAsync(corpus, options, index, connections, messages, blocking: true, cancellationToken).GetAwaiter().GetResult();
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref failure, exception, null);
                }
            })
            { IsBackground = true, Name = $"bench connection {index}" };
            threads[c].Start();
        }

        return Task.Run(() =>
        {
            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            return tallies;
        }, CancellationToken.None);
    }

    private static async Task<BenchResult> RunConnectionAsync(
        BenchCorpus corpus, BenchOptions options, int connection, int connections, int messages, bool blocking, CancellationToken cancellationToken)
    {
        var tally = new BenchResult();
        MilterClient? client = null;
        // Pool mode only: async socket calls have no timeout of their own. In blocking mode the
        // socket's send and receive timeouts bound every call (BlockingMilterConnection), so a
        // per-message timer there would only churn the timer queue (and wake its thread).
        CancellationTokenSource? timeout = null;
        try
        {
            // Connection c sends messages c, c+N, c+2N...: every connection gets its share and the
            // whole corpus is covered in order.
            long started = Stopwatch.GetTimestamp();
            int sequence = 0;
            for (int i = connection; i < messages; i += connections, sequence++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (options.Rate is double rate)
                {
                    // Behind schedule (the target is slower than the rate): send at once, never skip.
                    TimeSpan due = BenchPacing.DueOffset(connection, connections, sequence, rate);
                    if (blocking)
                    {
                        // This connection's own thread: sleep it, no timer and no pool hop.
                        PacedSleep.Until(started + (long)(due.TotalSeconds * Stopwatch.Frequency), cancellationToken);
                    }
                    else
                    {
                        TimeSpan wait = due - Stopwatch.GetElapsedTime(started);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                tally.Attempted++;
                CancellationToken messageToken = CancellationToken.None;
                if (!blocking)
                {
                    // One timeout source per connection, reset for each message: a new linked source
                    // and timer per message was a measurable share of the load tool's own CPU.
                    if (timeout is null || !timeout.TryReset())
                    {
                        timeout?.Dispose();
                        timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    }

                    timeout.CancelAfter(options.MessageTimeout);
                    messageToken = timeout.Token;
                }

                if (client is null)
                {
                    client = await OpenAsync(options, connection, tally, messageToken, blocking).ConfigureAwait(false);
                    if (client is null)
                    {
                        continue;
                    }
                }

                if (!await SendOneAsync(client, corpus.Prepared(i % corpus.Messages.Count, client), tally, messageToken, cancellationToken).ConfigureAwait(false))
                {
                    await DisposeQuietlyAsync(client).ConfigureAwait(false);
                    client = null;
                }
            }

            if (client is not null)
            {
                await client.SendQuitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // Only QUIT can get here: the milter went away after the last message.
        }
        finally
        {
            if (client is not null)
            {
                await DisposeQuietlyAsync(client).ConfigureAwait(false);
            }

            timeout?.Dispose();
        }

        return tally;
    }

    /// <summary>
    /// Compiles the client's send path (<see cref="ClientCodeWarmup"/>) and encodes every corpus
    /// message for the target's negotiation, over one session that only negotiates and quits, so
    /// the measured run finds both done. A target that cannot be reached is left for the run to
    /// count; the run then encodes on first use.
    /// </summary>
    public static async Task PrepareAsync(BenchCorpus corpus, BenchOptions options, CancellationToken cancellationToken)
    {
        await ClientCodeWarmup.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var tally = new BenchResult();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MessageTimeout);
        MilterClient? client = await OpenAsync(options, 0, tally, timeout.Token).ConfigureAwait(false);
        if (client is null)
        {
            return;
        }

        try
        {
            for (int i = 0; i < corpus.Messages.Count; i++)
            {
                corpus.Prepared(i, client);
            }

            await client.SendQuitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // QUIT could not be written in time: the messages are encoded all the same.
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // The target went away after negotiating: the run will meet and count that.
        }
        finally
        {
            await DisposeQuietlyAsync(client).ConfigureAwait(false);
        }
    }

    internal static async Task<MilterClient?> OpenAsync(
        BenchOptions options, int connection, BenchResult tally, CancellationToken cancellationToken, bool blocking = false)
    {
        MilterClient? client = null;
        try
        {
            MilterClientOptions writes = options.WriteEachCommand ? s_sendmailWrites : s_postfixWrites;
            client = blocking
                ? await BlockingMilterConnection.OpenAsync(options.Target, writes, options.MessageTimeout, cancellationToken).ConfigureAwait(false)
                : await MilterClient.ConnectAsync(options.Target, writes, cancellationToken).ConfigureAwait(false);
            var connect = new ConnectCommand(options.HeloName, ConnectFamily.Inet, (ushort)(40000 + (connection % 20000)), options.ClientAddress);
            await client.SendConnectAsync(connect, cancellationToken).ConfigureAwait(false);
            await client.SendHeloAsync(options.HeloName, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (Exception exception) when (exception is IOException or SocketException or MilterProtocolException or OperationCanceledException)
        {
            tally.ConnectFailures++;
            if (client is not null)
            {
                await DisposeQuietlyAsync(client).ConfigureAwait(false);
            }

            return null;
        }
    }

    /// <summary>Sends one message and tallies it; false when the connection is no longer usable.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> SendOneAsync(
        MilterClient client, MilterPreparedMessage message, BenchResult tally, CancellationToken messageToken, CancellationToken runToken)
    {
        long start = Stopwatch.GetTimestamp();
        MilterMessageSummary result;
        try
        {
            result = await client.SendPreparedAsync(message, messageToken).ConfigureAwait(false);
        }
        catch (MilterProtocolException)
        {
            tally.ProtocolViolations++;
            return false;
        }
        catch (IOException exception) when (IsSocketTimeout(exception))
        {
            // A blocking connection's send or receive timeout (BlockingMilterConnection): the
            // milter is stuck, not gone.
            tally.Timeouts++;
            return false;
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            tally.Disconnects++;
            return false;
        }
        catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
        {
            tally.Timeouts++;
            return false;
        }

        long end = Stopwatch.GetTimestamp();
        tally.WholeMessage.Record(ToNanoseconds(end - start));
        if (result.DecidedAt == MilterCommandCode.EndOfMessage)
        {
            tally.EndOfMessage.Record(ToNanoseconds(end - client.EndOfMessageSentTimestamp));
        }

        switch (result.Action)
        {
            case MilterMessageAction.Reject:
                tally.Rejected++;
                break;
            case MilterMessageAction.TempFail:
                tally.TempFailed++;
                break;
            case MilterMessageAction.Discard:
                tally.Discarded++;
                break;
            case MilterMessageAction.Shutdown:
                // 421: the MTA closes the SMTP session; count it as the tempfail it is for the sender.
                tally.TempFailed++;
                return false;
            default:
                tally.Accepted++;
                break;
        }

        // A message decided before end of message leaves the milter mid-transaction; an MTA sends
        // ABORT then (reference §5.13), so does the load tool, to start the next one clean.
        if (result.DecidedAt != MilterCommandCode.EndOfMessage)
        {
            try
            {
                await client.SendAbortAsync(messageToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsSocketTimeout(IOException exception) =>
        exception.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock };

    internal static long ToNanoseconds(long stopwatchTicks) =>
        (long)(stopwatchTicks * (1_000_000_000.0 / Stopwatch.Frequency));

    internal static async ValueTask DisposeQuietlyAsync(MilterClient client)
    {
        try
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // The connection is already gone; nothing to release beyond what Dispose did.
        }
    }
}
