using Microsoft.Extensions.Logging;

namespace Filter.Host;

/// <summary>
/// The daemon's log lines, each with a stable EventId so that admins can alert on them:
/// 1000-1099 messages, 1100-1199 policy, 1200-1299 metrics, 1300-1399 lifetime. 1303 (log lines
/// dropped because the output did not keep up) is written by the log writer itself
/// (<see cref="Hosting.Logging.LineLoggerProvider"/>).
/// </summary>
internal static partial class HostLog
{
    /// <summary>The one summary line per message (DESIGN.md house rules).</summary>
    [LoggerMessage(EventId = 1000, EventName = "MessageJudged", Level = LogLevel.Information,
        Message = "queue={QueueId} client={Client} helo={Helo} mailfrom={MailFrom} results=\"{Results}\" verdict={Verdict} reason=\"{Reason}\" ms={Milliseconds}")]
    public static partial void MessageJudged(ILogger logger, string queueId, string client, string helo, string mailFrom, string results, string verdict, string reason, double milliseconds);

    /// <summary>A bug while judging one message; the message got the engine-error action.</summary>
    [LoggerMessage(EventId = 1001, EventName = "EngineError", Level = LogLevel.Error,
        Message = "queue={QueueId} client={Client} check failed at {Stage}; answered {Verdict} (actions.engine-error)")]
    public static partial void EngineError(ILogger logger, string queueId, string client, string stage, string verdict, Exception exception);

    [LoggerMessage(EventId = 1100, EventName = "PolicyLoaded", Level = LogLevel.Information,
        Message = "Policy loaded from {File} (authserv-id {AuthservId})")]
    public static partial void PolicyLoaded(ILogger logger, string file, string authservId);

    [LoggerMessage(EventId = 1101, EventName = "PolicyReloaded", Level = LogLevel.Information,
        Message = "Policy reloaded from {File}; new messages use it, messages in flight finish on the old one")]
    public static partial void PolicyReloaded(ILogger logger, string file);

    [LoggerMessage(EventId = 1102, EventName = "PolicyReloadFailed", Level = LogLevel.Error,
        Message = "Policy reload from {File} failed; keeping the current policy. Errors:\n{Errors}")]
    public static partial void PolicyReloadFailed(ILogger logger, string file, string errors);

    [LoggerMessage(EventId = 1103, EventName = "PolicyWarning", Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void PolicyWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 1200, EventName = "MetricsListening", Level = LogLevel.Information,
        Message = "Prometheus metrics on http://{EndPoint}/metrics")]
    public static partial void MetricsListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1201, EventName = "MetricsRequestFailed", Level = LogLevel.Debug,
        Message = "Metrics request failed: {Error}")]
    public static partial void MetricsRequestFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1300, EventName = "DnsSource", Level = LogLevel.Information, Message = "DNS: {Source}")]
    public static partial void DnsSource(ILogger logger, string source);

    [LoggerMessage(EventId = 1301, EventName = "Stopping", Level = LogLevel.Information,
        Message = "Stopping: draining sessions for up to {Seconds} s")]
    public static partial void Stopping(ILogger logger, double seconds);

    [LoggerMessage(EventId = 1302, EventName = "ReloadSignal", Level = LogLevel.Information, Message = "SIGHUP: reloading the policy")]
    public static partial void ReloadSignal(ILogger logger);
}
