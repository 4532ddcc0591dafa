using Microsoft.Extensions.Logging;

namespace Filter.Engine.Pipeline;

/// <summary>The pipeline's log lines, with stable EventIds (16xx) operators can alert on.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "{Summary}")]
    public static partial void MessageJudged(ILogger logger, string summary);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "Engine error judging message {QueueId} from {Client}; applying the engine-error action ({Action})")]
    public static partial void EngineError(ILogger logger, Exception exception, string queueId, string client, string action);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Message {QueueId}: removing forged Authentication-Results #{Occurrence}: {Reason}")]
    public static partial void ForgedHeaderRemoved(ILogger logger, string queueId, int occurrence, string reason);
}
