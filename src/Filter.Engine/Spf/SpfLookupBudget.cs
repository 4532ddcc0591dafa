using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Spf;

/// <summary>
/// The RFC 7208 §4.6.4 processing limits of one check_host() run, as a resolver decorator
/// (DESIGN.md: budgets live in resolver decorators): the evaluator charges one term per
/// DNS-querying mechanism or redirect, and every query made through this resolver that comes back
/// void (NODATA, NXDOMAIN) uses up one void lookup. Secondary queries that the RFC does not count
/// (record fetches, MX and PTR address lookups, %{p}, exp=) go through <see cref="Uncounted"/>.
/// One instance per evaluation; not thread-safe (an evaluation is sequential).
/// </summary>
internal sealed class SpfLookupBudget(IDnsResolver inner, int maxTerms, int maxVoids) : IDnsResolver
{
    private readonly IDnsResolver _inner = inner;

    public int TermsUsed { get; private set; }

    public int VoidsUsed { get; private set; }

    public int MaxTerms { get; } = maxTerms;

    public int MaxVoids { get; } = maxVoids;

    /// <summary>The resolver underneath, for lookups that do not count as void lookups.</summary>
    public IDnsResolver Uncounted => _inner;

    /// <summary>True once more void lookups were seen than allowed: the check is a permerror.</summary>
    public bool IsVoidLimitExceeded => VoidsUsed > MaxVoids;

    /// <summary>Charges one DNS-querying term; false when that goes over the limit (permerror).</summary>
    public bool TryChargeTerm() => ++TermsUsed <= MaxTerms;

    public async ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        Count(await _inner.QueryTxtAsync(name, cancellationToken).ConfigureAwait(false));

    public async ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        Count(await _inner.QueryAAsync(name, cancellationToken).ConfigureAwait(false));

    public async ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        Count(await _inner.QueryAaaaAsync(name, cancellationToken).ConfigureAwait(false));

    public async ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        Count(await _inner.QueryMxAsync(name, cancellationToken).ConfigureAwait(false));

    public async ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        Count(await _inner.QueryPtrAsync(name, cancellationToken).ConfigureAwait(false));

    private DnsResponse<T> Count<T>(DnsResponse<T> response)
    {
        if (response.IsVoid)
        {
            VoidsUsed++;
        }

        return response;
    }
}
