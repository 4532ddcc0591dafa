using System.CommandLine;
using Filter.Engine.Policy;
using Filter.Host.Configuration;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter config check [FILE]</c>: validates a policy file. On errors it prints one
/// <c>FILE:LINE:COL: message</c> line per problem to standard error and exits 1; otherwise it prints
/// any warnings (to standard error) and the effective policy (to standard output) and exits 0.
/// </summary>
internal static class ConfigCommand
{
    /// <summary>The policy file used when none is named: the one in the current directory.</summary>
    public const string DefaultFile = "filter.yaml";

    public static Command Create()
    {
        var config = new Command("config", "Work with the policy file (filter.yaml).");
        config.Subcommands.Add(CreateCheck());
        return config;
    }

    private static Command CreateCheck()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The policy file to check.",
            DefaultValueFactory = _ => DefaultFile,
        };
        var check = new Command(
            "check",
            "Validate a policy file: print each error as FILE:LINE:COL: message (exit 1), or the effective policy with defaults marked (exit 0).");
        check.Arguments.Add(file);
        check.SetAction(parseResult => Run(
            parseResult.GetValue(file) ?? DefaultFile,
            PolicyFileLoader.ForThisHost(),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return check;
    }

    internal static int Run(string file, PolicyFileLoader loader, TextWriter output, TextWriter error)
    {
        var result = loader.Load(file);
        foreach (var line in result.FormatDiagnostics())
        {
            error.WriteLine(line);
        }

        if (!result.Succeeded)
        {
            var count = 0;
            foreach (var diagnostic in result.Diagnostics)
            {
                count += diagnostic.Severity == ConfigSeverity.Error ? 1 : 0;
            }

            error.WriteLine(count == 1 ? $"{file}: 1 error" : $"{file}: {count} errors");
            return 1;
        }

        output.Write(PolicySummaryFormatter.Format(result, FilterPolicy.Default with { AuthservId = loader.DefaultAuthservId }));
        return 0;
    }
}
