using Microsoft.Extensions.Logging;

namespace Filter.Host.Recording;

/// <summary>
/// The recording's log lines (issue 6 item 6), in the message range of <see cref="HostLog"/> (1000-1099).
/// A failed recording is a warning, never an error of the message: the message was judged as usual.
/// </summary>
internal static partial class RecordingLog
{
    [LoggerMessage(EventId = 1010, EventName = "RecordingFailed", Level = LogLevel.Warning,
        Message = "queue={QueueId} not recorded: {Stage} failed in {Directory}; the message was judged as usual")]
    public static partial void RecordingFailed(ILogger logger, string queueId, string stage, string directory, Exception exception);

    [LoggerMessage(EventId = 1011, EventName = "RecordingPolicyNotSaved", Level = LogLevel.Warning,
        Message = "Recording: the policy in force is not saved with the entries ({Why}); replay them with --policy")]
    public static partial void PolicyNotSaved(ILogger logger, string why);

    [LoggerMessage(EventId = 1012, EventName = "MessageRecorded", Level = LogLevel.Debug,
        Message = "queue={QueueId} recorded as {File}")]
    public static partial void MessageRecorded(ILogger logger, string queueId, string file);
}
