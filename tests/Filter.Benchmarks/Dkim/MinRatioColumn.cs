using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Filter.Benchmarks.Dkim;

/// <summary>
/// "MinRatio": the fastest iteration of a case divided by the fastest iteration of its baseline (the
/// raw floor) with the same parameters. On a machine shared with other work the means of the floor
/// and of the verification are taken at different moments and swing apart; the fastest iterations are
/// the ones least disturbed, so their ratio is the steadier measure of our own overhead. It is shown
/// beside the mean Ratio, never instead of it.
/// </summary>
internal sealed class MinRatioColumn : IColumn
{
    public string Id => nameof(MinRatioColumn);

    public string ColumnName => "MinRatio";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Fastest iteration divided by the baseline's fastest iteration (same parameters)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var own = summary[benchmarkCase]?.ResultStatistics;
        var floor = baseline is null ? null : summary[baseline]?.ResultStatistics;
        return own is null || floor is null || floor.Min <= 0
            ? "?"
            : (own.Min / floor.Min).ToString("0.00", CultureInfo.InvariantCulture);
    }
}
