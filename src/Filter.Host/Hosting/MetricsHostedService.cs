using System.Net;
using Filter.Host.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>Serves <c>/metrics</c> on the policy's endpoint, when it names one.</summary>
internal sealed class MetricsHostedService(IPEndPoint? endpoint, FilterMetrics metrics, ILogger<MetricsHostedService> logger) : IHostedService, IAsyncDisposable
{
    private PrometheusExporter? _exporter;
    private MetricsEndpoint? _endpoint;

    /// <summary>The bound endpoint, once started; null when metrics are off.</summary>
    public IPEndPoint? LocalEndPoint => _endpoint?.LocalEndPoint;

    /// <summary>The exporter, once started; null when metrics are off.</summary>
    public PrometheusExporter? Exporter => _exporter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (endpoint is not null)
        {
            _exporter = new PrometheusExporter(metrics.Meter);
            _endpoint = new MetricsEndpoint(endpoint, _exporter, logger);
            _endpoint.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
            _endpoint = null;
        }

        _exporter?.Dispose();
        _exporter = null;
    }
}
