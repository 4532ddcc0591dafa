using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>
/// Keeps the in-process daemon's per-message summary lines (EventId 1000, "MessageJudged": client,
/// mail from, results, verdict and its reason), so a test can see what the daemon decided and why.
/// </summary>
internal sealed class DaemonLog : ILoggerProvider
{
    private const int MessageJudgedEventId = 1000;

    private readonly ConcurrentQueue<string> _judged = new();

    /// <summary>Every summary line so far, oldest first.</summary>
    public IReadOnlyList<string> JudgedLines => [.. _judged];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(DaemonLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == MessageJudgedEventId)
            {
                owner._judged.Enqueue(formatter(state, exception));
            }
        }
    }
}
