using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Tests.Hosting;

/// <summary>Keeps every log line of an in-process daemon, with its EventId, for assertions.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Text)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Text)> Entries => [.. _entries];

    public IReadOnlyList<string> Lines(int eventId)
    {
        var lines = new List<string>();
        foreach (var entry in _entries)
        {
            if (entry.Id.Id == eventId)
            {
                lines.Add(entry.Text);
            }
        }

        return lines;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
