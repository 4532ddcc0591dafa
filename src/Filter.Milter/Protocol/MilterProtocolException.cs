namespace Filter.Milter.Protocol;

/// <summary>
/// Thrown by <see cref="Client.MilterClient"/> when the milter breaks the protocol. The server
/// side never throws it: a session turns violations into a log line and a closed connection.
/// </summary>
public sealed class MilterProtocolException : Exception
{
    /// <summary>Creates the exception for a violation.</summary>
    public MilterProtocolException(MilterProtocolViolation violation)
        : base(violation.ToString()) => Violation = violation;

    /// <summary>The violation.</summary>
    public MilterProtocolViolation Violation { get; }
}
