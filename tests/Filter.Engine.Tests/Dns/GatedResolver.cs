using System.Collections.Concurrent;
using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// A decorator over zone data that holds every lookup until <see cref="Open"/> and counts lookups
/// per name, so tests can have several questions in flight at once. Answers come from the zone.
/// </summary>
internal sealed class GatedResolver(IDnsResolver inner, bool throwOnce = false) : IDnsResolver
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.OrdinalIgnoreCase);
    private int _thrown;

    public void Open() => _gate.TrySetResult();

    public int Calls(string name) => _calls.GetValueOrDefault(name);

    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        AfterGateAsync(name, () => inner.QueryTxtAsync(name, cancellationToken));

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        AfterGateAsync(name, () => inner.QueryAAsync(name, cancellationToken));

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        AfterGateAsync(name, () => inner.QueryAaaaAsync(name, cancellationToken));

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        AfterGateAsync(name, () => inner.QueryMxAsync(name, cancellationToken));

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        AfterGateAsync(name, () => inner.QueryPtrAsync(name, cancellationToken));

    private async ValueTask<DnsResponse<T>> AfterGateAsync<T>(string name, Func<ValueTask<DnsResponse<T>>> query)
    {
        _calls.AddOrUpdate(name, 1, static (_, count) => count + 1);
        await _gate.Task;
        if (throwOnce && Interlocked.Exchange(ref _thrown, 1) == 0)
        {
            throw new InvalidOperationException("a bug in the inner resolver");
        }

        return await query();
    }
}
