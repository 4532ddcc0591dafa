using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Milter.Server;

/// <summary>
/// Listens on one TCP or Unix socket and runs a <see cref="MilterSession"/> per accepted
/// connection, one task each, at most <see cref="MilterServerOptions.MaxSessions"/> at once; a
/// connection beyond the limit is accepted and closed at once, with a log line, so the MTA applies
/// its default action without waiting for a timeout.
/// TCP sockets get TCP_NODELAY (reference §18: small replies would otherwise wait for delayed
/// ACKs). A fault in one connection is logged and closes that connection only.
/// <see cref="StopAsync"/> drains: it stops accepting, lets each session finish its message in
/// flight within <see cref="MilterServerOptions.DrainTimeout"/>, then closes what is left.
/// Start fails with a <see cref="SocketException"/> (AddressAlreadyInUse) when another process
/// listens on the address: the port is never shared, and a live Unix socket file is never removed.
/// A stale Unix socket file is replaced at start; the file this server bound is removed at stop.
/// </summary>
public sealed class MilterServer : IAsyncDisposable
{
    private static readonly TimeSpan s_closeBound = TimeSpan.FromSeconds(5);
    private static long s_nextSessionId;

    private readonly MilterServerOptions _options;
    private readonly IMilterHandlerFactory _factory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _closeSessions = new();
    private readonly ConcurrentDictionary<long, MilterConnection> _sessions = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _stopped;

    /// <summary>Creates a server; nothing is bound until <see cref="StartAsync"/>.</summary>
    public MilterServer(MilterServerOptions options, IMilterHandlerFactory factory, ILogger<MilterServer>? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSessions, 1);
        _options = options;
        _factory = factory;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _slots = new SemaphoreSlim(options.MaxSessions, options.MaxSessions);
    }

    /// <summary>The bound endpoint (with the real port when the spec asked for port 0), once started.</summary>
    public EndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>The spec of the bound socket (with the real port), once started.</summary>
    public MilterSocketSpec? BoundSpec { get; private set; }

    /// <summary>Sessions open now.</summary>
    public int ActiveSessions => _sessions.Count;

    /// <summary>Test seam: sees each accepted socket once it is set up (to check socket options).</summary>
    internal Action<Socket>? AcceptedSocketObserver { get; init; }

    /// <summary>Binds and starts accepting.</summary>
    /// <exception cref="SocketException">The socket cannot be bound (the message names the socket and why); logged.</exception>
    /// <exception cref="ArgumentException">The TCP host is not an address.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        MilterSocketSpec spec = _options.Listen;
        Socket listener;
        try
        {
            if (spec.Kind == MilterSocketKind.Unix)
            {
                listener = MilterListener.BindUnix(spec, _options.UnixSocketMode, _options.Backlog, _logger);
                BoundSpec = spec;
            }
            else
            {
                if (!spec.TryGetBindAddress(out IPAddress? address))
                {
                    throw new ArgumentException($"Cannot listen on '{spec}': the host must be an IP address, 'localhost' or '*'.");
                }

                listener = MilterListener.BindTcp(spec, address!, _options.Backlog);
                var bound = (IPEndPoint)listener.LocalEndPoint!;
                BoundSpec = MilterSocketSpec.Inet(bound.Address.ToString(), bound.Port);
            }
        }
        catch (SocketException exception)
        {
            MilterLog.ListenFailed(_logger, spec.ToString(), exception.Message);
            throw;
        }

        _listener = listener;
        MilterLog.Listening(_logger, BoundSpec.ToString());
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting, drains sessions within the bound (or until <paramref name="cancellationToken"/>
    /// fires), closes the rest and removes a Unix socket file. Safe to call more than once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        MilterLog.Draining(_logger, _sessions.Count, _options.DrainTimeout.TotalSeconds);
        foreach (MilterConnection connection in _sessions.Values)
        {
            connection.Session.RequestDrain();
        }

        Task all = Task.WhenAll(SessionTasks());
        try
        {
            await all.WaitAsync(_options.DrainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            MilterLog.DrainTimedOut(_logger, _sessions.Count);
            await _closeSessions.CancelAsync().ConfigureAwait(false);

            // Closing the sockets also ends sessions stuck in I/O; a handler that ignores
            // cancellation is not waited for beyond a last short bound.
            foreach (MilterConnection connection in _sessions.Values)
            {
                connection.Socket.Dispose();
            }

            try
            {
                await Task.WhenAll(SessionTasks()).WaitAsync(s_closeBound, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                MilterLog.DrainTimedOut(_logger, _sessions.Count);
            }
        }

        // Only a file this server bound is ours to remove: after a failed start the file may
        // belong to the daemon that is running there.
        if (_listener is not null && _options.Listen.Kind == MilterSocketKind.Unix && File.Exists(_options.Listen.Path))
        {
            File.Delete(_options.Listen.Path);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopAccepting.Dispose();
        _closeSessions.Dispose();

        // _slots is not disposed: a session task abandoned by StopAsync may still release it.
    }

    private List<Task> SessionTasks()
    {
        var tasks = new List<Task>(_sessions.Count);
        foreach (MilterConnection connection in _sessions.Values)
        {
            if (connection.Task is not null)
            {
                tasks.Add(connection.Task);
            }
        }

        return tasks;
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopAccepting.Token;
        Socket listener = _listener!;
        long refused = 0;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // E.g. EMFILE or a connection reset before accept: keep serving the others.
                MilterLog.AcceptFailed(_logger, BoundSpec!.ToString(), exception);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!_slots.Wait(0))
            {
                // Over the limit: close at once rather than leave the MTA waiting in the backlog
                // until its own timeout; it then applies its default action straight away
                // (Postfix milter_default_action, Sendmail F=; milter reference §1).
                if (refused++ == 0)
                {
                    MilterLog.SessionLimitReached(_logger, _options.MaxSessions);
                }

                MilterLog.SessionRefused(_logger, RemoteOf(socket), _options.MaxSessions);
                socket.Dispose();
                continue;
            }

            if (refused > 0)
            {
                MilterLog.SessionLimitCleared(_logger, refused);
                refused = 0;
            }

            long id = Interlocked.Increment(ref s_nextSessionId);
            MilterConnection connection;
            try
            {
                connection = CreateConnection(id, socket);
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                socket.Dispose();
                _slots.Release();
                MilterLog.AcceptFailed(_logger, BoundSpec!.ToString(), exception);
                continue;
            }

            // Registered before it runs, so that its own clean-up always finds it.
            _sessions[id] = connection;
            connection.Task = Task.Run(() => RunConnectionAsync(connection), CancellationToken.None);
        }
    }

    private string RemoteOf(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.Unix)
        {
            return "unix:" + _options.Listen.Path;
        }

        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown";
        }
        catch (SocketException)
        {
            // Reset by the peer between accept and here.
            return "unknown";
        }
    }

    private MilterConnection CreateConnection(long id, Socket socket)
    {
        if (socket.AddressFamily != AddressFamily.Unix)
        {
            socket.NoDelay = true;
        }

        string remote = RemoteOf(socket);

        AcceptedSocketObserver?.Invoke(socket);
        var session = new MilterSession(new SocketDuplexPipe(socket), _factory, new MilterSessionInfo(id, remote), _options.Session, _logger);
        return new MilterConnection(id, socket, session);
    }

    private async Task RunConnectionAsync(MilterConnection connection)
    {
        try
        {
            await connection.Session.RunAsync(_closeSessions.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            MilterLog.SessionFaulted(_logger, connection.Id, exception);
        }
        catch (OperationCanceledException)
        {
            // Closed by the end of a drain.
        }
        finally
        {
            Close(connection.Socket);
            _sessions.TryRemove(connection.Id, out _);
            _slots.Release();
        }
    }

    /// <summary>Shut down, then closed, as a NetworkStream that owns its socket does: the MTA sees an orderly end.</summary>
    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not connected any more (the peer went first): closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
            // Closed already by the end of a drain.
        }

        socket.Dispose();
    }
}
