using Microsoft.Extensions.Logging;

namespace Filter.Engine.Tests.Pipeline;

/// <summary>Keeps every log entry (EventId, level, text, exception) so tests can assert the engine-error line.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(EventId Id, LogLevel Level, string Text, Exception? Exception)> _entries = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Text, Exception? Exception)> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Add((eventId, logLevel, formatter(state, exception), exception));
}
