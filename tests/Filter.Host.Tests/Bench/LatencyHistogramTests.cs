using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

public sealed class LatencyHistogramTests
{
    [Test]
    public void Small_values_are_exact_and_percentiles_use_nearest_rank()
    {
        var histogram = new LatencyHistogram();
        for (int i = 100; i >= 1; i--)
        {
            histogram.Record(i);
        }

        Assert.Multiple(() =>
        {
            Assert.That(histogram.Count, Is.EqualTo(100));
            Assert.That(histogram.ValueAtPercentile(50), Is.EqualTo(50));
            Assert.That(histogram.ValueAtPercentile(99), Is.EqualTo(99));
            Assert.That(histogram.ValueAtPercentile(100), Is.EqualTo(100));
            Assert.That(histogram.ValueAtPercentile(0), Is.EqualTo(1));
            Assert.That(histogram.MinNanoseconds, Is.EqualTo(1));
            Assert.That(histogram.MaxNanoseconds, Is.EqualTo(100));
            Assert.That(histogram.SumNanoseconds, Is.EqualTo(5050));
        });
    }

    [Test]
    public void Large_values_are_within_one_sixty_fourth()
    {
        // 1,000 samples of 250 us and 10 of 40 ms: p50 and p99 are 250 us, the max is 40 ms.
        var histogram = new LatencyHistogram();
        for (int i = 0; i < 1000; i++)
        {
            histogram.Record(250_000);
        }

        for (int i = 0; i < 10; i++)
        {
            histogram.Record(40_000_000);
        }

        Assert.Multiple(() =>
        {
            Assert.That(histogram.ValueAtPercentile(50), Is.InRange(250_000, 250_000 + (250_000 / 64)));
            Assert.That(histogram.ValueAtPercentile(99), Is.InRange(250_000, 250_000 + (250_000 / 64)));
            Assert.That(histogram.ValueAtPercentile(99.5), Is.EqualTo(40_000_000), "capped at the exact maximum");
            Assert.That(histogram.MaxNanoseconds, Is.EqualTo(40_000_000));
        });
    }

    [Test]
    public void Every_value_falls_in_a_bucket_whose_top_is_within_one_sixty_fourth()
    {
        long[] values = [0, 1, 127, 128, 129, 255, 256, 1_000, 65_535, 1_000_003, 123_456_789_012, long.MaxValue / 2, long.MaxValue];
        Assert.Multiple(() =>
        {
            foreach (long value in values)
            {
                int index = LatencyHistogram.IndexOf(value);
                long top = LatencyHistogram.HighestOf(index);
                Assert.That(top, Is.GreaterThanOrEqualTo(value), $"{value}");
                Assert.That((double)(top - value), Is.LessThanOrEqualTo(value / 64.0), $"{value}");
            }
        });
    }

    [Test]
    public void Merging_adds_counts_and_keeps_extremes()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(10);
        a.Record(20);
        b.Record(5);
        b.Record(90);
        a.Add(b);

        Assert.Multiple(() =>
        {
            Assert.That(a.Count, Is.EqualTo(4));
            Assert.That(a.MinNanoseconds, Is.EqualTo(5));
            Assert.That(a.MaxNanoseconds, Is.EqualTo(90));
            Assert.That(a.ValueAtPercentile(50), Is.EqualTo(10));
        });
    }

    [Test]
    public void Empty_histogram_reports_zero()
    {
        var histogram = new LatencyHistogram();
        Assert.Multiple(() =>
        {
            Assert.That(histogram.ValueAtPercentile(99), Is.Zero);
            Assert.That(histogram.MinNanoseconds, Is.Zero);
        });
    }
}
