using System.CommandLine;
using Filter.Host.Configuration;
using Filter.Host.Hosting;
using Filter.Milter.Server;
using Microsoft.Extensions.Hosting;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter serve [--config FILE] [--listen SOCKET]... [--zone FILE]... [--drain-timeout 30s]</c>:
/// runs the milter daemon in the foreground (systemd Type=notify). Exit codes: 0 after a clean stop,
/// 1 when the policy or a zone file is invalid (each problem printed as FILE:LINE:COL: message) or a
/// socket cannot be bound.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "The policy file.",
            DefaultValueFactory = _ => ConfigCommand.DefaultFile,
        };
        var listen = new Option<string[]>("--listen")
        {
            Description = "Milter socket, replacing the policy's listen list (repeatable): inet:127.0.0.1:8891, inet:[::1]:8891, unix:/run/authfilter/milter.sock.",
            AllowMultipleArgumentsPerToken = false,
        };
        var zones = new Option<string[]>("--zone")
        {
            Description = "Answer DNS from this RFC 1035 zone file instead of the network (repeatable; for demos, tests and benchmarks).",
        };
        var drain = new Option<string>("--drain-timeout")
        {
            Description = "On stop (SIGTERM), how long sessions may finish the message in flight before they are closed, e.g. 30s.",
            DefaultValueFactory = _ => "30s",
        };
        var serve = new Command("serve", "Run the milter daemon: SPF, DKIM and DMARC for Postfix and Sendmail. SIGHUP reloads the policy; SIGTERM drains and stops.");
        serve.Options.Add(config);
        serve.Options.Add(listen);
        serve.Options.Add(zones);
        serve.Options.Add(drain);
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var specs = new List<MilterSocketSpec>();
            foreach (string text in parseResult.GetValue(listen) ?? [])
            {
                if (!MilterSocketSpec.TryParse(text, out MilterSocketSpec? spec, out string? problem))
                {
                    await error.WriteLineAsync("--listen: " + problem).ConfigureAwait(false);
                    return 1;
                }

                specs.Add(spec!);
            }

            string drainText = parseResult.GetValue(drain) ?? "30s";
            if (!DurationText.TryParse(drainText, out TimeSpan drainTimeout) || drainTimeout < TimeSpan.Zero)
            {
                await error.WriteLineAsync($"--drain-timeout: '{drainText}' is not a duration such as 500ms, 30s or 2m").ConfigureAwait(false);
                return 1;
            }

            var options = new ServeOptions
            {
                ConfigPath = parseResult.GetValue(config) ?? ConfigCommand.DefaultFile,
                Listen = specs,
                ZoneFiles = parseResult.GetValue(zones) ?? [],
                DrainTimeout = drainTimeout,
            };
            return await RunAsync(options, PolicyFileLoader.ForThisHost(), error, cancellationToken).ConfigureAwait(false);
        });
        return serve;
    }

    /// <summary>Builds and runs the daemon until it is stopped.</summary>
    internal static async Task<int> RunAsync(ServeOptions options, PolicyFileLoader loader, TextWriter error, CancellationToken cancellationToken)
    {
        DaemonBuildResult built = DaemonHostBuilder.Build(options, loader);
        if (built.Host is null)
        {
            foreach (string line in built.Errors)
            {
                await error.WriteLineAsync(line).ConfigureAwait(false);
            }

            await error.WriteLineAsync("authfilter serve: not started").ConfigureAwait(false);
            return 1;
        }

        using IHost host = built.Host;
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            await error.WriteLineAsync("authfilter serve: cannot listen: " + exception.Message).ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
