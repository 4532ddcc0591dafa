using System.Diagnostics.Metrics;

namespace Filter.Host.Metrics;

/// <summary>
/// The daemon's instruments (System.Diagnostics.Metrics), one <see cref="Meter"/> per daemon so
/// that several daemons in one process (tests) keep separate counts. Names follow Prometheus
/// conventions because <see cref="PrometheusExporter"/> writes them as they are.
/// </summary>
internal sealed class FilterMetrics : IDisposable
{
    /// <summary>The meter name, for external listeners (dotnet-counters, OpenTelemetry).</summary>
    public const string MeterName = "AuthFilter";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _results;
    private readonly Histogram<double> _endOfMessageSeconds;
    private readonly Counter<long> _dnsQueries;
    private readonly Counter<long> _dnsFailures;
    private readonly UpDownCounter<long> _sessionsOpen;
    private readonly Counter<long> _engineErrors;
    private readonly Counter<long> _reloads;

    public FilterMetrics()
    {
        Meter = new Meter(MeterName);
        _messages = Meter.CreateCounter<long>("authfilter_messages_total", description: "Messages judged, by verdict.");
        _results = Meter.CreateCounter<long>("authfilter_results_total", description: "Method results written, by method and RFC 8601 result word.");
        _endOfMessageSeconds = Meter.CreateHistogram<double>("authfilter_eom_latency_seconds", unit: "s", description: "Time from end of message to our answer.");
        _dnsQueries = Meter.CreateCounter<long>("authfilter_dns_queries_total", description: "DNS queries asked of the resolver, by type.");
        _dnsFailures = Meter.CreateCounter<long>("authfilter_dns_failures_total", description: "DNS queries that ended in a timeout or server failure, by status.");
        _sessionsOpen = Meter.CreateUpDownCounter<long>("authfilter_sessions_open", description: "Milter sessions open now.");
        _engineErrors = Meter.CreateCounter<long>("authfilter_engine_errors_total", description: "Messages whose check failed with a bug and got the engine-error action.");
        _reloads = Meter.CreateCounter<long>("authfilter_policy_reloads_total", description: "Policy reloads, by outcome.");
    }

    /// <summary>The meter holding every instrument of this daemon.</summary>
    public Meter Meter { get; }

    public void MessageJudged(string verdict, double endOfMessageSeconds)
    {
        _messages.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        _endOfMessageSeconds.Record(endOfMessageSeconds);
    }

    public void ResultWritten(string method, string result) =>
        _results.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("result", result));

    public void DnsQuery(string type) => _dnsQueries.Add(1, new KeyValuePair<string, object?>("type", type));

    public void DnsFailure(string status) => _dnsFailures.Add(1, new KeyValuePair<string, object?>("status", status));

    public void SessionOpened() => _sessionsOpen.Add(1);

    public void SessionClosed() => _sessionsOpen.Add(-1);

    public void EngineError() => _engineErrors.Add(1);

    public void PolicyReloaded(bool succeeded) => _reloads.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    public void Dispose() => Meter.Dispose();
}
