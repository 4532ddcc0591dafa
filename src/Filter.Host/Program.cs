using Filter.Host.Cli;
using Filter.Host.Hosting;

namespace Filter.Host;

/// <summary>Entry point of the `authfilter` executable: every verb is a System.CommandLine command.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Before anything opens a socket: .NET reads this switch once, at its first socket.
        if (InlineSocketCompletions.AppliesTo(args))
        {
            InlineSocketCompletions.ApplyDefault();
        }

        return AuthFilterCommandLine.Create().Parse(args).InvokeAsync();
    }
}
