using Filter.Engine.Pipeline;

namespace Filter.Host.Replay;

/// <summary>One replayed entry: the outcome and every expectation it missed ("verdict: expected reject, got accept").</summary>
internal sealed record ReplayResult(CorpusEntry Entry, AuthenticationOutcome Outcome, IReadOnlyList<string> Mismatches)
{
    public bool Passed => Mismatches.Count == 0;
}
