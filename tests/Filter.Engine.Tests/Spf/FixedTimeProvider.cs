namespace Filter.Engine.Tests.Spf;

/// <summary>
/// A clock for the "t" macro and the evaluation timeout: fixed, or advancing by a step each time
/// the evaluator reads the timestamp (to reach the timeout without waiting).
/// </summary>
internal sealed class FixedTimeProvider(long unixSeconds, TimeSpan stepPerTimestamp = default) : TimeProvider
{
    private long _ticks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, stepPerTimestamp.Ticks);
}
