using System.Diagnostics;
using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

public sealed class PacedSleepTests
{
    [Test]
    public void Never_returns_before_the_due_time()
    {
        for (int i = 0; i < 20; i++)
        {
            // Sub-millisecond and odd waits: where rounding to milliseconds would wake too early.
            long due = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10_000 * (i + 1)) + 7;
            PacedSleep.Until(due, CancellationToken.None);
            Assert.That(Stopwatch.GetTimestamp(), Is.GreaterThanOrEqualTo(due));
        }
    }

    [Test]
    public void A_due_time_in_the_past_returns_at_once()
    {
        Assert.DoesNotThrow(() => PacedSleep.Until(Stopwatch.GetTimestamp() - Stopwatch.Frequency, CancellationToken.None));
    }

    [Test]
    public void Cancellation_ends_a_long_wait_within_a_slice()
    {
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(50));
        long due = Stopwatch.GetTimestamp() + (600 * Stopwatch.Frequency);

        Assert.Throws<OperationCanceledException>(() => PacedSleep.Until(due, cancel.Token));
    }
}
