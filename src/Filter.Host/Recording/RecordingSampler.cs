namespace Filter.Host.Recording;

/// <summary>
/// Decides which messages are recorded: each independently with probability <c>recording.sample-rate</c>.
/// Chance is injected (DESIGN.md house rules): a seed makes the sequence of decisions repeatable (tests);
/// without one it is seeded by the runtime. Thread-safe; a rate of 1 never draws.
/// </summary>
internal sealed class RecordingSampler
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    /// <summary>A sampler drawing from <c>new Random(seed)</c>, or from a runtime-seeded one when <paramref name="seed"/> is null.</summary>
    public RecordingSampler(int? seed = null) => _random = seed is { } value ? new Random(value) : new Random();

    /// <summary>True when this message is to be recorded at <paramref name="rate"/> (0 &lt; rate &lt;= 1).</summary>
    public bool Sample(double rate)
    {
        if (rate >= 1)
        {
            return true;
        }

        lock (_lock)
        {
            return _random.NextDouble() < rate;
        }
    }
}
