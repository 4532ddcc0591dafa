using Filter.Milter.Protocol;
using Microsoft.Extensions.Logging;

namespace Filter.Milter;

/// <summary>
/// Every log line of the milter library, with stable EventIds (17xx) so that operators can
/// alert on them.
/// </summary>
internal static partial class MilterLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Debug, Message = "Milter session {SessionId} from {RemoteEndPoint} started")]
    public static partial void SessionStarted(ILogger logger, long sessionId, string remoteEndPoint);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "Milter session {SessionId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, long sessionId, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Debug, Message = "Milter session {SessionId} negotiated version {Version}, actions 0x{Actions:X}, protocol 0x{Protocol:X} (MTA offered version {OfferVersion}, actions 0x{OfferActions:X}, protocol 0x{OfferProtocol:X})")]
    public static partial void Negotiated(ILogger logger, long sessionId, uint version, uint actions, uint protocol, uint offerVersion, uint offerActions, uint offerProtocol);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "Milter session {SessionId}: the MTA does not offer actions 0x{Dropped:X}; they will not be sent")]
    public static partial void ActionsNotOffered(ILogger logger, long sessionId, uint dropped);

    [LoggerMessage(EventId = 1710, Level = LogLevel.Warning, Message = "Milter session {SessionId} closed on a protocol violation: {Violation}")]
    public static partial void ProtocolViolation(ILogger logger, long sessionId, MilterProtocolViolation violation);

    [LoggerMessage(EventId = 1711, Level = LogLevel.Warning, Message = "Milter session {SessionId} closed on unknown command 0x{Code:X2}")]
    public static partial void UnknownCommand(ILogger logger, long sessionId, byte code);

    [LoggerMessage(EventId = 1712, Level = LogLevel.Information, Message = "Milter session {SessionId}: the MTA closed the connection in the middle of a message")]
    public static partial void LostMidMessage(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 1720, Level = LogLevel.Error, Message = "Milter session {SessionId}: the handler failed at {Step}; answering {Decision}")]
    public static partial void HandlerFailed(ILogger logger, long sessionId, string step, string decision, Exception exception);

    [LoggerMessage(EventId = 1721, Level = LogLevel.Warning, Message = "Milter session {SessionId}: message over the header limit ({Count} headers, {Bytes} bytes); answering {Decision}")]
    public static partial void HeaderLimitExceeded(ILogger logger, long sessionId, int count, long bytes, string decision);

    [LoggerMessage(EventId = 1722, Level = LogLevel.Error, Message = "Milter session {SessionId}: dropped {Code} at end of message: {Reason}")]
    public static partial void ModificationDropped(ILogger logger, long sessionId, MilterResponseCode code, string reason);

    [LoggerMessage(EventId = 1730, Level = LogLevel.Information, Message = "Milter server listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1731, Level = LogLevel.Information, Message = "Milter server stopping: draining {Sessions} sessions for up to {Seconds} s")]
    public static partial void Draining(ILogger logger, int sessions, double seconds);

    [LoggerMessage(EventId = 1732, Level = LogLevel.Warning, Message = "Milter server: {Sessions} sessions still open after the drain bound; closing them")]
    public static partial void DrainTimedOut(ILogger logger, int sessions);

    [LoggerMessage(EventId = 1733, Level = LogLevel.Error, Message = "Milter session {SessionId} failed")]
    public static partial void SessionFaulted(ILogger logger, long sessionId, Exception exception);

    [LoggerMessage(EventId = 1734, Level = LogLevel.Error, Message = "Milter server: accepting a connection on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, string endPoint, Exception exception);

    [LoggerMessage(EventId = 1735, Level = LogLevel.Information, Message = "Milter server: removed stale socket file {Path}")]
    public static partial void StaleSocketRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 1736, Level = LogLevel.Warning, Message = "Milter server: {Max} sessions open (limits.sessions); refusing new connections until one closes")]
    public static partial void SessionLimitReached(ILogger logger, int max);

    [LoggerMessage(EventId = 1737, Level = LogLevel.Warning, Message = "Milter session {SessionId}: the handler's {Step} failed")]
    public static partial void CleanupFailed(ILogger logger, long sessionId, string step, Exception exception);

    [LoggerMessage(EventId = 1738, Level = LogLevel.Critical, Message = "Milter server: cannot listen on {EndPoint}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, string endPoint, string reason);

    [LoggerMessage(EventId = 1739, Level = LogLevel.Warning, Message = "Milter server: refused a connection from {RemoteEndPoint}: {Max} sessions already open")]
    public static partial void SessionRefused(ILogger logger, string remoteEndPoint, int max);

    [LoggerMessage(EventId = 1740, Level = LogLevel.Information, Message = "Milter server: accepting connections again after refusing {Refused} at the session limit")]
    public static partial void SessionLimitCleared(ILogger logger, long refused);
}
