using BenchmarkDotNet.Running;
using Filter.Benchmarks.Floor;
using Filter.Benchmarks.Probe;

namespace Filter.Benchmarks;

/// <summary>
/// Runs the benchmarks the command line selects (BenchmarkDotNet's own switcher), or with
/// <c>null-milter SOCKET</c> serves the do-nothing milter used to measure the daemon's floor, or with
/// <c>machine-phases [SECONDS]</c> shows whether the machine is steady enough to benchmark on.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == NullMilterTarget.Verb)
        {
            return NullMilterTarget.RunAsync(args.Length > 1 ? args[1] : "inet:127.0.0.1:18899").GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == MachinePhaseProbe.Verb)
        {
            return MachinePhaseProbe.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
