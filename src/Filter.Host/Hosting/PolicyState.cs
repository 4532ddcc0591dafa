using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Filter.Host.Metrics;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>
/// The policy in force and the <see cref="MessageAuthenticationEngine"/> built for it. <see cref="Current"/> is read once per
/// message at MAIL FROM; <see cref="Reload"/> (SIGHUP) builds a complete new set and swaps it in
/// one reference write, so new messages use the new policy while messages in flight finish on the
/// one they started with, and no connection is touched. An invalid file changes nothing.
/// Sockets, DNS servers and the metrics endpoint are bound at start; a reload that changes them
/// logs that a restart is needed.
/// </summary>
internal sealed class PolicyState
{
    // The daemon writes its own summary line (EventId 1000); the engine's is not even built.
    private static readonly MessageAuthenticatorOptions s_engineOptions = new() { WriteSummaryLine = false };

    private readonly string _path;
    private readonly PolicyFileLoader _loader;
    private readonly IDnsResolver _resolver;
    private readonly TimeProvider _timeProvider;
    private readonly FilterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly ILogger _engineLogger;
    private MessageAuthenticationEngine _current;

    public PolicyState(string path, FilterPolicy initial, PolicyFileLoader loader, IDnsResolver resolver, TimeProvider timeProvider, FilterMetrics metrics, ILogger logger, ILogger engineLogger)
    {
        _path = path;
        _loader = loader;
        _resolver = resolver;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _engineLogger = new EngineSummaryFilter(engineLogger);
        _current = new MessageAuthenticationEngine(resolver, initial, timeProvider, _engineLogger, s_engineOptions);
    }

    /// <summary>The engine for new messages.</summary>
    public MessageAuthenticationEngine Current => Volatile.Read(ref _current);

    /// <summary>The policy for new messages.</summary>
    public FilterPolicy Policy => Current.Policy;

    /// <summary>
    /// Loads the policy file again. True when the new policy is in force; false when it had
    /// errors, which are logged (EventId 1102) while the old policy stays.
    /// </summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            PolicyLoadResult result = _loader.Load(_path);
            if (!result.Succeeded)
            {
                HostLog.PolicyReloadFailed(_logger, _path, string.Join('\n', result.FormatDiagnostics()));
                _metrics.PolicyReloaded(false);
                return false;
            }

            FilterPolicy policy = result.Policy!;
            FilterPolicy old = Policy;
            if (!policy.Listen.SequenceEqual(old.Listen) || !SameDns(policy.Dns, old.Dns) || policy.Metrics != old.Metrics)
            {
                HostLog.PolicyWarning(_logger, "listen, dns and metrics changes take effect at the next restart");
            }

            Volatile.Write(ref _current, new MessageAuthenticationEngine(_resolver, policy, _timeProvider, _engineLogger, s_engineOptions));
            _metrics.PolicyReloaded(true);
            HostLog.PolicyReloaded(_logger, _path);
            return true;
        }
    }

    private static bool SameDns(DnsSettings a, DnsSettings b) =>
        a.Timeout == b.Timeout && a.Retries == b.Retries && a.CacheSize == b.CacheSize && a.Nameservers.SequenceEqual(b.Nameservers);
}
