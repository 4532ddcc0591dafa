using Filter.Engine.Pipeline;
using Filter.Host.Glue;
using Filter.Host.Hosting;
using Filter.Host.Metrics;
using Filter.Milter.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Benchmarks.Floor;

/// <summary>
/// <c>dotnet run -c Release --project tests/Filter.Benchmarks -- null-milter inet:127.0.0.1:18899</c>:
/// serves <see cref="NullMilterHandler"/> with the daemon's milter server, session, socket settings
/// and negotiation, until Ctrl+C or SIGTERM. Point <c>authfilter bench --pid</c> at it to measure
/// the floor under the daemon's CPU per message: everything but the checks (README, "Benchmarking a
/// milter"). Not a BenchmarkDotNet benchmark: the CPU figure comes from /proc, as for the daemon.
/// </summary>
internal static class NullMilterTarget
{
    /// <summary>The first argument that selects this mode instead of BenchmarkDotNet's switcher.</summary>
    public const string Verb = "null-milter";

    public static async Task<int> RunAsync(string listen)
    {
        if (!MilterSocketSpec.TryParse(listen, out MilterSocketSpec? spec, out string? error))
        {
            await Console.Error.WriteLineAsync($"{Verb}: {error}").ConfigureAwait(false);
            return 2;
        }

        // As `authfilter serve` runs: socket completions inline (set before the first socket exists).
        InlineSocketCompletions.ApplyDefault();

        // The daemon's own negotiation, read from its handler factory (the engine is never created).
        using var metrics = new FilterMetrics();
        var daemonFactory = new AuthenticationHandlerFactory(
            () => throw new InvalidOperationException("The null milter runs no engine."), metrics, NullLogger.Instance);
        var factory = new NullMilterHandlerFactory(daemonFactory.Capabilities);

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

        await using var server = new MilterServer(new MilterServerOptions { Listen = spec! }, factory);
        await server.StartAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"{Verb}: listening on {spec} (pid {Environment.ProcessId}); Ctrl+C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
