using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Metrics;

/// <summary>
/// A deliberately tiny HTTP/1.0-style responder for Prometheus scrapes: <c>GET /metrics</c> gets the
/// exposition, anything else 404 or 405, one request per connection, then close. No ASP.NET: the
/// daemon's attack surface stays a milter socket and this read-only page. Requests are read up to
/// a bound (8 KiB, 5 s) so a slow or hostile client cannot hold resources.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly PrometheusExporter _exporter;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public MetricsEndpoint(IPEndPoint endpoint, PrometheusExporter exporter, ILogger logger)
    {
        _exporter = exporter;
        _logger = logger;
        _listener = new TcpListener(endpoint);
    }

    /// <summary>The bound endpoint (with the real port when port 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Binds and starts answering.</summary>
    /// <exception cref="SocketException">The port cannot be bound.</exception>
    public void Start()
    {
        _listener.Start();
        HostLog.MetricsListening(_logger, LocalEndPoint.ToString());
        _loop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            _ = Task.Run(() => AnswerAsync(client), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(s_requestTimeout);
            try
            {
                NetworkStream stream = client.GetStream();
                string? requestLine = await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false);
                string response = Respond(requestLine);
                byte[] bytes = Encoding.UTF8.GetBytes(response);
                await stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                HostLog.MetricsRequestFailed(_logger, exception.Message);
            }
        }
    }

    private string Respond(string? requestLine)
    {
        if (requestLine is null)
        {
            return Status("400 Bad Request");
        }

        string[] parts = requestLine.Split(' ');
        if (parts.Length < 2 || parts[0] != "GET")
        {
            return Status("405 Method Not Allowed");
        }

        string path = parts[1];
        int query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path != "/metrics")
        {
            return Status("404 Not Found");
        }

        string body = _exporter.Render();
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: "
            + Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static string Status(string status) =>
        "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    // Reads until the blank line that ends the request head; returns the first line, or null when
    // the head is too long or the client closed early.
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                end = buffer.AsSpan(0, filled).IndexOf("\n\n"u8);
            }

            if (end >= 0)
            {
                int lineEnd = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                return Encoding.ASCII.GetString(buffer, 0, lineEnd).TrimEnd('\r');
            }
        }

        return null;
    }
}
