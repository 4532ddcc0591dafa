using Filter.Host.Cli;

namespace Filter.Host;

/// <summary>Entry point of the `authfilter` executable: every verb is a System.CommandLine command.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => AuthFilterCommandLine.Create().Parse(args).InvokeAsync();
}
