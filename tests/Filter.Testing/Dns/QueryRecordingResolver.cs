using System.Net;
using Filter.Engine.Dns;

namespace Filter.Testing.Dns;

/// <summary>
/// Wraps a resolver and writes down every query (type and name, in the order asked), so tests can
/// assert exact query sequences such as the DMARC Tree Walk's (RFC 9989 §4.10). Thread-safe.
/// </summary>
public sealed class QueryRecordingResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly IDnsResolver _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly List<(DnsRecordType Type, string Name)> _queries = [];
    private readonly Lock _lock = new();

    /// <summary>A copy of the queries made so far.</summary>
    public IReadOnlyList<(DnsRecordType Type, string Name)> Queries
    {
        get
        {
            lock (_lock)
            {
                return [.. _queries];
            }
        }
    }

    /// <summary>The names of the TXT queries made so far, in order.</summary>
    public IReadOnlyList<string> TxtNames()
    {
        var names = new List<string>();
        foreach (var (type, name) in Queries)
        {
            if (type == DnsRecordType.Txt)
            {
                names.Add(name);
            }
        }

        return names;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _queries.Clear();
        }
    }

    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        Record(DnsRecordType.Txt, name, _inner.QueryTxtAsync(name, cancellationToken));

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        Record(DnsRecordType.A, name, _inner.QueryAAsync(name, cancellationToken));

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        Record(DnsRecordType.Aaaa, name, _inner.QueryAaaaAsync(name, cancellationToken));

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        Record(DnsRecordType.Mx, name, _inner.QueryMxAsync(name, cancellationToken));

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        Record(DnsRecordType.Ptr, name, _inner.QueryPtrAsync(name, cancellationToken));

    private ValueTask<T> Record<T>(DnsRecordType type, string name, ValueTask<T> answer)
    {
        lock (_lock)
        {
            _queries.Add((type, name));
        }

        return answer;
    }
}
