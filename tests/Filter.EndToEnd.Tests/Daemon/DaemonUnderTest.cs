using System.Net;
using Filter.Host.Configuration;
using Filter.Host.Hosting;
using Filter.Milter.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>
/// <c>authfilter serve</c> started in this process through <see cref="DaemonHostBuilder"/> (the
/// code the verb runs) on a free loopback port, with DNS from <see cref="DaemonZone"/> and a
/// policy that fixes the authserv-id, both written to a temporary folder. The policy is the repo's
/// defaults otherwise: in particular <c>trusted.authenticated-clients: true</c>, so a client that
/// logged in with SMTP AUTH is recorded, not judged.
/// </summary>
internal sealed class DaemonUnderTest : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IHost _host;

    private DaemonUnderTest(string directory, IHost host, DaemonLog log)
    {
        _directory = directory;
        _host = host;
        Log = log;
    }

    /// <summary>The daemon's per-message summary lines.</summary>
    public DaemonLog Log { get; }

    /// <summary>Where the milter listens.</summary>
    public IPEndPoint EndPoint
    {
        get
        {
            MilterSocketSpec socket = _host.Services.GetRequiredService<MilterHostedService>().BoundSockets[0];
            return new IPEndPoint(IPAddress.Parse(socket.Host), socket.Port);
        }
    }

    public static async Task<DaemonUnderTest> StartAsync(CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Path.GetTempPath(), "authfilter-e2e-daemon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string policyPath = Path.Combine(directory, "filter.yaml");
        string zonePath = Path.Combine(directory, "e2e.zone");
        await File.WriteAllTextAsync(policyPath, $"authserv-id: {DaemonZone.AuthservId}\n", cancellationToken);
        await File.WriteAllTextAsync(zonePath, DaemonZone.Text(), cancellationToken);
        var log = new DaemonLog();
        DaemonBuildResult built = DaemonHostBuilder.Build(
            new ServeOptions
            {
                ConfigPath = policyPath,
                Listen = [MilterSocketSpec.Inet("127.0.0.1", 0)],
                ZoneFiles = [zonePath],
                DrainTimeout = TimeSpan.FromSeconds(10),
            },
            new PolicyFileLoader("localhost"),
            logging => logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Information));
        Assert.That(built.Errors, Is.Empty, "the daemon builds");
        await built.Host!.StartAsync(cancellationToken);
        return new DaemonUnderTest(directory, built.Host, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
