using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>Everything the milter sent after end of message: the modifications in order, then the decision.</summary>
/// <param name="Modifications">Modification responses in wire order.</param>
/// <param name="Decision">The final decision.</param>
/// <param name="ProgressCount">PROGRESS keep-alives received.</param>
public sealed record MilterEndOfMessageReply(IReadOnlyList<MilterResponse> Modifications, MilterResponse Decision, int ProgressCount);
