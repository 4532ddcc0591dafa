using Filter.Milter.Session;

namespace Filter.Benchmarks.Floor;

/// <summary>
/// Hands out <see cref="NullMilterHandler"/>s and negotiates exactly what the daemon negotiates,
/// so the MTA (or the load tool) sends the same packets and waits for the same replies.
/// </summary>
internal sealed class NullMilterHandlerFactory(MilterCapabilities capabilities) : IMilterHandlerFactory
{
    private readonly NullMilterHandler _handler = new();

    public MilterCapabilities Capabilities => capabilities;

    /// <summary>The handler keeps no state, so one serves every session.</summary>
    public IMilterHandler CreateHandler(MilterSessionInfo session) => _handler;
}
