using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// What a handler answers at end of message: the modifications to send, in wire order, and the
/// final decision. The session writes them all, then the decision, in one flush.
/// Build the list with <see cref="MilterMessageEdits"/>, which orders it safely.
/// </summary>
/// <param name="Decision">The final decision (SKIP is not allowed here and becomes CONTINUE).</param>
/// <param name="Modifications">Modification responses only (<see cref="MilterResponse.IsModification"/>).</param>
public sealed record MilterMessageOutcome(MilterDecision Decision, IReadOnlyList<MilterResponse> Modifications)
{
    /// <summary>Accept without changes.</summary>
    public static MilterMessageOutcome Accept { get; } = new(MilterDecision.Continue, []);
}
