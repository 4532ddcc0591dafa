using System.Text;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting.Logging;

/// <summary>
/// The daemon's console log: one line per entry, written by a background thread in batches. The
/// console logger of Microsoft.Extensions.Logging wakes its thread and makes one write(2) per line;
/// at thousands of messages per second that was a measurable share of the daemon's CPU (issue 7).
/// Here a line is formatted on the caller's thread into a shared buffer under a short lock, the
/// writer is woken only when it is idle, waits a batch delay (<see cref="DefaultBatchDelay"/>) for more lines and writes
/// them all in one call. Lines keep their order. Under systemd (journal) each line starts with its
/// syslog priority (<c>&lt;6&gt;</c>) and carries no timestamp, as journald stamps it; otherwise it
/// starts with a UTC timestamp and the level. If the output blocks and the buffer reaches
/// <see cref="MaxBufferedChars"/>, further lines are dropped (never the mail) and counted in a
/// line written once the output moves again. Dispose writes what is left.
/// </summary>
internal sealed class LineLoggerProvider : ILoggerProvider
{
    /// <summary>How long the writer gathers lines after the first one before writing them, by default.</summary>
    public static readonly TimeSpan DefaultBatchDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>Characters held before new lines are dropped (the output is stuck).</summary>
    public const int MaxBufferedChars = 4 * 1024 * 1024;

    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly TimeSpan _batchDelay;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Thread _writer;
    private StringBuilder _pending = new(16 * 1024);
    private StringBuilder _spare = new(16 * 1024);
    private bool _writerIdle = true;
    private bool _stopping;
    private long _dropped;

    /// <summary>Starts the writer thread.</summary>
    /// <param name="output">Where lines go (standard output in the daemon).</param>
    /// <param name="journal">True under systemd: priority prefix, no timestamp.</param>
    /// <param name="time">The clock for timestamps.</param>
    /// <param name="batchDelay">How long the writer gathers lines before a write; null for <see cref="DefaultBatchDelay"/>.</param>
    public LineLoggerProvider(Stream output, bool journal, TimeProvider time, TimeSpan? batchDelay = null)
    {
        _output = output;
        _batchDelay = batchDelay ?? DefaultBatchDelay;
        Journal = journal;
        _time = time;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "authfilter log" };
        _writer.Start();
    }

    /// <summary>True when lines are in journald's form.</summary>
    public bool Journal { get; }

    /// <summary>Lines dropped because the output did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, this);

    /// <summary>Queues one formatted line (without its newline).</summary>
    internal void Append(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        bool wake;
        lock (_gate)
        {
            if (_pending.Length >= MaxBufferedChars || _stopping)
            {
                _dropped++;
                return;
            }

            LineFormat.Append(_pending, level, category, eventId, message, exception, Journal ? null : _time.GetUtcNow());
            wake = _writerIdle;
            _writerIdle = false;
        }

        if (wake)
        {
            _wake.Release();
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            if (_writerIdle)
            {
                _writerIdle = false;
                _wake.Release();
            }
        }

        _writer.Join(TimeSpan.FromSeconds(5));
    }

    private void WriteLoop()
    {
        byte[] bytes = new byte[64 * 1024];
        while (true)
        {
            _wake.Wait();
            bool stopping;
            lock (_gate)
            {
                stopping = _stopping;
            }

            if (!stopping && _batchDelay > TimeSpan.Zero)
            {
                // Gather the lines of the next few milliseconds: one write instead of one per line.
                Thread.Sleep(_batchDelay);
            }

            StringBuilder batch;
            long dropped;
            lock (_gate)
            {
                batch = _pending;
                _pending = _spare;
                _spare = batch;
                dropped = _dropped;
                _dropped = 0;
                _writerIdle = true;
                stopping = _stopping;
            }

            if (dropped > 0)
            {
                LineFormat.Append(batch, LogLevel.Warning, typeof(LineLoggerProvider).FullName!, new EventId(1303, "LogLinesDropped"),
                    $"{dropped} log lines were dropped: the log output did not keep up", null, Journal ? null : _time.GetUtcNow());
            }

            Write(batch, ref bytes);
            batch.Clear();
            if (batch.Capacity > 1024 * 1024)
            {
                // Do not keep a burst's buffer for ever.
                batch.Capacity = 16 * 1024;
            }

            if (stopping)
            {
                // Lines queued between the swap and now were refused (_stopping): nothing is left.
                return;
            }
        }
    }

    private void Write(StringBuilder batch, ref byte[] bytes)
    {
        if (batch.Length == 0)
        {
            return;
        }

        try
        {
            foreach (ReadOnlyMemory<char> chunk in batch.GetChunks())
            {
                int needed = Encoding.UTF8.GetMaxByteCount(chunk.Length);
                if (needed > bytes.Length)
                {
                    bytes = new byte[needed];
                }

                int length = Encoding.UTF8.GetBytes(chunk.Span, bytes);
                _output.Write(bytes, 0, length);
            }

            _output.Flush();
        }
        catch (IOException)
        {
            // Standard output closed (journald restarted, a closed pipe): there is nowhere to say so.
        }
        catch (ObjectDisposedException)
        {
            // The process is ending.
        }
    }
}
