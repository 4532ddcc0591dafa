using BenchmarkDotNet.Attributes;

namespace Filter.Benchmarks.Dkim;

/// <summary>Adds <see cref="MinRatioColumn"/> to a benchmark class's summary.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class MinRatioColumnAttribute : ColumnConfigBaseAttribute
{
    public MinRatioColumnAttribute()
        : base(new MinRatioColumn())
    {
    }
}
