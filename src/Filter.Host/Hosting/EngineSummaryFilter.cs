using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>
/// The engine's logger as the daemon passes it on: everything except the pipeline's own summary
/// line (EventId 1600), because the daemon writes the one summary line per message itself
/// (EventId 1000) with what only the milter knows (HELO, MAIL FROM, end-of-message latency).
/// The offline tools keep the pipeline's line.
/// </summary>
internal sealed class EngineSummaryFilter(ILogger inner) : ILogger
{
    /// <summary>The pipeline's summary EventId (Filter.Engine.Pipeline.PipelineLog).</summary>
    public const int PipelineSummaryEventId = 1600;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != PipelineSummaryEventId)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
