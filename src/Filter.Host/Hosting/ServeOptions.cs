using System.Net;
using Filter.Milter.Server;

namespace Filter.Host.Hosting;

/// <summary>What <c>authfilter serve</c> was asked for on its command line.</summary>
internal sealed record ServeOptions
{
    /// <summary>The policy file. Default <c>filter.yaml</c> in the working directory.</summary>
    public string ConfigPath { get; init; } = "filter.yaml";

    /// <summary>Sockets that replace the policy's <c>listen</c> list; empty keeps the policy's.</summary>
    public IReadOnlyList<MilterSocketSpec> Listen { get; init; } = [];

    /// <summary>Zone files to answer DNS from instead of the network; empty uses the live resolver.</summary>
    public IReadOnlyList<string> ZoneFiles { get; init; } = [];

    /// <summary>How long a stop (SIGTERM) lets sessions finish the message in flight. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Replaces the policy's metrics endpoint (tests use port 0); null keeps the policy's.</summary>
    public IPEndPoint? MetricsOverride { get; init; }

    /// <summary>Seeds the recording sampler (recording.sample-rate) so tests know which messages it picks; null: seeded by the runtime.</summary>
    public int? RecordingSeed { get; init; }
}
