using System.Net;
using Filter.Engine.Dns;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Filter.Host.Dns;
using Filter.Host.Hosting.Logging;
using Filter.Host.Metrics;
using Filter.Host.Recording;
using Filter.Milter.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>
/// Builds the <c>authfilter serve</c> daemon as a Generic Host: the policy loaded and validated,
/// DNS (zone files or the live resolver behind its cache, counted for metrics), the milter servers,
/// the SIGHUP reload, the optional metrics endpoint, and systemd integration (Type=notify: READY=1
/// once every socket is bound, STOPPING=1 at stop; journald-friendly log lines). Tests build the
/// daemon through this same code.
/// </summary>
internal static class DaemonHostBuilder
{
    /// <summary>Builds the host; nothing is bound until it starts.</summary>
    /// <param name="options">The command line.</param>
    /// <param name="loader">Loads the policy file (its default authserv-id is the host name).</param>
    /// <param name="configureLogging">Replaces the console logging (tests capture lines); null logs to the console.</param>
    public static DaemonBuildResult Build(ServeOptions options, PolicyFileLoader loader, Action<ILoggingBuilder>? configureLogging = null)
    {
        PolicyLoadResult loaded = loader.Load(options.ConfigPath);
        if (!loaded.Succeeded)
        {
            return new DaemonBuildResult(null, [.. loaded.FormatDiagnostics()]);
        }

        FilterPolicy policy = loaded.Policy!;
        IDnsResolver baseResolver;
        string dnsSource;
        if (options.ZoneFiles.Count > 0)
        {
            DnsZone? zone = DnsResolverFactory.ReadZones(options.ZoneFiles, out IReadOnlyList<ZoneFileError> zoneErrors);
            if (zone is null)
            {
                var errors = new List<string>(zoneErrors.Count);
                foreach (ZoneFileError error in zoneErrors)
                {
                    errors.Add(error.ToString());
                }

                return new DaemonBuildResult(null, errors);
            }

            baseResolver = new ZoneResolver(zone);
            dnsSource = "zone files " + string.Join(", ", options.ZoneFiles);
        }
        else
        {
            // The live resolver behind its TTL cache, configured from the policy's dns section.
            baseResolver = DnsResolverFactory.CreateLive(policy.Dns, TimeProvider.System);
            dnsSource = policy.Dns.Nameservers.Count == 0 ? "system resolvers" : "resolvers " + string.Join(", ", policy.Dns.Nameservers);
        }

        IReadOnlyList<MilterSocketSpec> sockets = options.Listen.Count > 0 ? options.Listen : ToSpecs(policy.Listen);
        IPEndPoint? metricsEndpoint = options.MetricsOverride ?? policy.Metrics.Endpoint;

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings.json or environment configuration: filter.yaml is the one policy file.
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configureLogging is null)
        {
            // Batched line writer instead of the console logger: one write per batch, not per line
            // (issue 7); journald's form under systemd. The container disposes it at exit, which
            // writes the last lines.
            builder.Services.AddSingleton<ILoggerProvider>(_ => new LineLoggerProvider(
                Console.OpenStandardOutput(), SystemdHelpers.IsSystemdService(), TimeProvider.System));
            builder.Logging.SetMinimumLevel(LogLevel.Information);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        // Type=notify: READY=1 after every hosted service started (sockets bound), STOPPING=1 at stop.
        builder.Services.AddSystemd();
        // The host's stop must outlast the drain, or it would abandon sessions the drain still waits for.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<FilterMetrics>();
        builder.Services.AddSingleton(provider =>
        {
            FilterMetrics metrics = provider.GetRequiredService<FilterMetrics>();
            ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Filter.Host.Policy");
            HostLog.PolicyLoaded(logger, options.ConfigPath, policy.AuthservId);
            foreach (string warning in loaded.FormatDiagnostics())
            {
                HostLog.PolicyWarning(logger, warning);
            }

            HostLog.DnsSource(logger, dnsSource);
            ILogger engineLogger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Filter.Engine.Pipeline");
            return new PolicyState(options.ConfigPath, policy, loader, new MeteredDnsResolver(baseResolver, metrics), TimeProvider.System, metrics, logger, engineLogger);
        });
        // Recording (issue 6 item 6) follows the policy each message starts on, so a reload turns it on or off.
        builder.Services.AddSingleton(provider => new MessageRecorder(
            options.ConfigPath, loader, new RecordingSampler(options.RecordingSeed), TimeProvider.System,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Filter.Host.Recording")));
        builder.Services.AddSingleton(provider => new MilterHostedService(
            sockets,
            provider.GetRequiredService<PolicyState>(),
            options,
            provider.GetRequiredService<FilterMetrics>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<MessageRecorder>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MilterHostedService>());
        builder.Services.AddSingleton(provider => new MetricsHostedService(
            metricsEndpoint,
            provider.GetRequiredService<FilterMetrics>(),
            provider.GetRequiredService<ILogger<MetricsHostedService>>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MetricsHostedService>());
        builder.Services.AddHostedService<ReloadSignalService>();
        return new DaemonBuildResult(builder.Build(), []);
    }

    private static List<MilterSocketSpec> ToSpecs(IReadOnlyList<ListenSocket> listen)
    {
        var specs = new List<MilterSocketSpec>(listen.Count);
        foreach (ListenSocket socket in listen)
        {
            specs.Add(socket.Kind == ListenSocketKind.Unix
                ? MilterSocketSpec.Unix(socket.Path!)
                : MilterSocketSpec.Inet(socket.Endpoint!.Address.ToString(), socket.Endpoint.Port));
        }

        return specs;
    }
}
