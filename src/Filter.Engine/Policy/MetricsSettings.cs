using System.Net;

namespace Filter.Engine.Policy;

/// <summary>The optional Prometheus text-format endpoint (issue 7).</summary>
public sealed record MetricsSettings
{
    /// <summary>Where to serve <c>/metrics</c>, or null for no endpoint (default).</summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>
    /// Whether <see cref="Endpoint"/> may be a non-loopback address. Default false: counters reveal
    /// traffic patterns, so exposing them beyond the host must be a deliberate choice.
    /// </summary>
    public bool AllowNonLoopback { get; init; }
}
