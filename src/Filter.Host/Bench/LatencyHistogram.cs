using System.Numerics;

namespace Filter.Host.Bench;

/// <summary>
/// An HDR-style log-linear latency histogram in nanoseconds: values below 128 ns are exact, above
/// that each power of two is split into 64 buckets, so a recorded value is known to within 1/64
/// (1.6 %) whatever the number of samples, in a fixed 3,712 counters (29 KB). No samples are kept,
/// so a run of millions of messages costs the same memory as a run of ten. Not thread-safe: each
/// connection records into its own and the runner merges them at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int ExactLimit = 2 * SubBuckets;
    private const int BucketCount = ExactLimit + (63 - 7) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>Largest recorded value, exact.</summary>
    public long MaxNanoseconds { get; private set; }

    /// <summary>Smallest recorded value, exact (0 when empty).</summary>
    public long MinNanoseconds => Count == 0 ? 0 : _min;

    /// <summary>Sum of recorded values, exact, for the mean.</summary>
    public long SumNanoseconds { get; private set; }

    private long _min = long.MaxValue;

    /// <summary>Records one value; negative values count as 0.</summary>
    public void Record(long nanoseconds)
    {
        long value = Math.Max(0, nanoseconds);
        _counts[IndexOf(value)]++;
        Count++;
        SumNanoseconds += value;
        MaxNanoseconds = Math.Max(MaxNanoseconds, value);
        _min = Math.Min(_min, value);
    }

    /// <summary>Adds another histogram's counts into this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        SumNanoseconds += other.SumNanoseconds;
        MaxNanoseconds = Math.Max(MaxNanoseconds, other.MaxNanoseconds);
        _min = Math.Min(_min, other._min);
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0..100): the highest value of the bucket holding
    /// the sample of that rank (nearest-rank definition), capped at the exact maximum, as HDR
    /// histograms report it. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * Count);
        rank = Math.Max(1, rank);
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestOf(i), MaxNanoseconds);
            }
        }

        return MaxNanoseconds;
    }

    internal static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        // value >= 128: its top bit is at position p >= 7; keep the 7 top bits (64..127).
        int shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - 6;
        return ExactLimit + ((shift - 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    internal static long HighestOf(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }

        int shift = ((index - ExactLimit) / SubBuckets) + 1;
        long mantissa = ((index - ExactLimit) % SubBuckets) + SubBuckets;
        return ((mantissa + 1) << shift) - 1;
    }
}
