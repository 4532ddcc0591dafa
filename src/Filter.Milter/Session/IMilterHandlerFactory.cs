namespace Filter.Milter.Session;

/// <summary>
/// Creates one <see cref="IMilterHandler"/> per SMTP session (a milter connection, or each
/// session after QUIT_NC) and states what handlers need, for negotiation. Must be thread-safe:
/// sessions call it concurrently.
/// </summary>
public interface IMilterHandlerFactory
{
    /// <summary>What every handler of this factory needs from the MTA.</summary>
    MilterCapabilities Capabilities { get; }

    /// <summary>Creates the handler for a new SMTP session, after negotiation.</summary>
    IMilterHandler CreateHandler(MilterSessionInfo session);
}
