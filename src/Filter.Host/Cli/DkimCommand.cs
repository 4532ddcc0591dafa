using System.CommandLine;

namespace Filter.Host.Cli;

/// <summary>`authfilter dkim`: offline DKIM tools (verify, sign).</summary>
internal static class DkimCommand
{
    public static Command Create()
    {
        var command = new Command("dkim", "DKIM (RFC 6376, RFC 8301, RFC 8463): verify or sign a stored message.");
        command.Subcommands.Add(DkimVerifyCommand.Create());
        command.Subcommands.Add(DkimSignCommand.Create());
        return command;
    }
}
