using BenchmarkDotNet.Running;

namespace Filter.Benchmarks;

/// <summary>Runs the benchmarks the command line selects (BenchmarkDotNet's own switcher).</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
