using Filter.Engine.Policy;
using Filter.Host.Glue;
using Filter.Host.Metrics;
using Filter.Host.Recording;
using Filter.Milter.Server;
using Filter.Milter.Session;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>
/// Runs one <see cref="MilterServer"/> per socket with the glue's handler factory. Stop (SIGTERM,
/// Ctrl+C, systemd stop) stops accepting on every socket at once and lets each session finish its
/// message in flight within <see cref="ServeOptions.DrainTimeout"/>, then closes the rest.
/// </summary>
internal sealed class MilterHostedService : IHostedService, IAsyncDisposable
{
    private readonly IReadOnlyList<MilterSocketSpec> _sockets;
    private readonly PolicyState _state;
    private readonly ServeOptions _options;
    private readonly FilterMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<MilterServer> _servers = [];
    private readonly MessageRecorder? _recorder;

    public MilterHostedService(
        IReadOnlyList<MilterSocketSpec> sockets, PolicyState state, ServeOptions options, FilterMetrics metrics, ILoggerFactory loggerFactory, MessageRecorder? recorder = null)
    {
        _recorder = recorder;
        _sockets = sockets;
        _state = state;
        _options = options;
        _metrics = metrics;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The sockets bound, with real ports (for port 0), once started.</summary>
    public IReadOnlyList<MilterSocketSpec> BoundSockets
    {
        get
        {
            var bound = new List<MilterSocketSpec>(_servers.Count);
            foreach (MilterServer server in _servers)
            {
                if (server.BoundSpec is { } spec)
                {
                    bound.Add(spec);
                }
            }

            return bound;
        }
    }

    /// <summary>Sessions open now over all sockets.</summary>
    public int ActiveSessions
    {
        get
        {
            int count = 0;
            foreach (MilterServer server in _servers)
            {
                count += server.ActiveSessions;
            }

            return count;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        FilterPolicy policy = _state.Policy;
        var factory = new AuthenticationHandlerFactory(() => _state.Current, _metrics, _loggerFactory.CreateLogger("Filter.Host.Message"), _recorder);
        foreach (MilterSocketSpec socket in _sockets)
        {
            var server = new MilterServer(
                new MilterServerOptions
                {
                    Listen = socket,
                    MaxSessions = policy.Limits.Sessions,
                    DrainTimeout = _options.DrainTimeout,
                    UnixSocketMode = UnixModeFor(policy, socket),
                    Session = new MilterSessionOptions
                    {
                        MaxPayloadLength = policy.Limits.PacketSize,
                        MaxHeaderBytes = policy.Limits.HeaderBytes,
                        MaxHeaderCount = policy.Limits.HeaderCount,
                    },
                },
                factory,
                _loggerFactory.CreateLogger<MilterServer>());
            _servers.Add(server);
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        HostLog.Stopping(_loggerFactory.CreateLogger<MilterHostedService>(), _options.DrainTimeout.TotalSeconds);
        var stops = new List<Task>(_servers.Count);
        foreach (MilterServer server in _servers)
        {
            stops.Add(server.StopAsync(cancellationToken));
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (MilterServer server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static UnixFileMode UnixModeFor(FilterPolicy policy, MilterSocketSpec socket)
    {
        foreach (ListenSocket listen in policy.Listen)
        {
            if (listen.Kind == ListenSocketKind.Unix && listen.Path == socket.Path && listen.Mode is { } mode)
            {
                return mode;
            }
        }

        return ListenSocket.DefaultUnixMode;
    }
}
