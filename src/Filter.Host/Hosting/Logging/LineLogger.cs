using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting.Logging;

/// <summary>One category's logger for <see cref="LineLoggerProvider"/>; the level filter is the host's.</summary>
internal sealed class LineLogger(string category, LineLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.None)
        {
            return;
        }

        provider.Append(logLevel, category, eventId, formatter(state, exception), exception);
    }
}
