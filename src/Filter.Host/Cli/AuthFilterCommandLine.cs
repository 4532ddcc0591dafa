using System.CommandLine;

namespace Filter.Host.Cli;

/// <summary>
/// Builds the `authfilter` command tree. Each verb lives in its own file as a static
/// <c>Create()</c> factory and is added here, in the order `--help` lists them.
/// </summary>
internal static class AuthFilterCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("authfilter: SPF, DKIM and DMARC checks for Postfix and Sendmail (milter), and offline tools.");
        foreach (var verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    private static IEnumerable<Command> Verbs()
    {
        yield return SpfCommand.Create();
        yield return ConfigCommand.Create();
        yield return DkimCommand.Create();
        yield return CheckCommand.Create();
        yield return ReplayCommand.Create();
        yield return DiffCommand.Create();
        yield return ServeCommand.Create();
        yield return BenchCommand.Create();
    }
}
