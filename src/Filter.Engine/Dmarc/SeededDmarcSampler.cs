namespace Filter.Engine.Dmarc;

/// <summary>A reproducible <see cref="IDmarcSampler"/>: <see cref="Random"/> with a fixed seed, thread-safe.</summary>
public sealed class SeededDmarcSampler(int seed) : IDmarcSampler
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public bool IsSelected(int percent)
    {
        if (percent >= 100)
        {
            return true;
        }

        if (percent <= 0)
        {
            return false;
        }

        lock (_lock)
        {
            return _random.Next(100) < percent;
        }
    }
}
