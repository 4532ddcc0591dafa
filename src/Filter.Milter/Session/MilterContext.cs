using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// What a handler can see of its session: negotiated options, macros, the connection data, the
/// current message's header counts, and a way to send PROGRESS keep-alives while it works.
/// One context per SMTP session; it is not thread-safe except for <see cref="SendProgressAsync"/>.
/// </summary>
public sealed class MilterContext
{
    private readonly Func<CancellationToken, ValueTask<bool>> _sendProgress;

    internal MilterContext(MilterSessionInfo session, MilterNegotiation negotiation, MilterMacros macros, Func<CancellationToken, ValueTask<bool>> sendProgress)
    {
        Session = session;
        Negotiation = negotiation;
        Macros = macros;
        _sendProgress = sendProgress;
    }

    /// <summary>The session.</summary>
    public MilterSessionInfo Session { get; }

    /// <summary>What was negotiated with the MTA.</summary>
    public MilterNegotiation Negotiation { get; }

    /// <summary>Macros per stage.</summary>
    public MilterMacros Macros { get; }

    /// <summary>The CONNECT data, once received.</summary>
    public ConnectCommand? Connect { get; internal set; }

    /// <summary>The latest HELO/EHLO argument, once received.</summary>
    public string? Helo { get; internal set; }

    /// <summary>Headers of the current message so far.</summary>
    public int HeaderCount { get; internal set; }

    /// <summary>Header name and value bytes of the current message so far.</summary>
    public long HeaderBytes { get; internal set; }

    /// <summary>
    /// Sends a PROGRESS keep-alive so the MTA restarts its timeout (§7.5). Only sent while the
    /// MTA waits for a reply (Sendmail accepts it only at end of message); returns false when
    /// nothing was sent. Safe to call from a timer: writes are serialised with the replies.
    /// </summary>
    public ValueTask<bool> SendProgressAsync(CancellationToken cancellationToken) => _sendProgress(cancellationToken);
}
