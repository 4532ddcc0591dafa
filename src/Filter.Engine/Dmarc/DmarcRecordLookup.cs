using Filter.Engine.Dns;

namespace Filter.Engine.Dmarc;

/// <summary>
/// Queries and parses the DMARC records of one domain, once per message: the policy discovery and
/// the Tree Walks for the Authenticated Identifiers share names (RFC 9989 Appendix B.4), so each
/// <c>_dmarc</c> name is asked for at most once per evaluation. Texts are parsed through a
/// <see cref="DmarcRecordCache"/> shared across messages. Thread-safe.
/// </summary>
internal sealed class DmarcRecordLookup
{
    private readonly IDnsResolver _resolver;
    private readonly DmarcRecordCache _records;
    private readonly Dictionary<string, Task<DmarcRecordSet>> _sets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A lookup with a parse cache of its own (tests, one-off walks).</summary>
    public DmarcRecordLookup(IDnsResolver resolver, DmarcMode mode)
        : this(resolver, new DmarcRecordCache(mode))
    {
    }

    /// <summary>A lookup for one message, parsing through the evaluator's shared cache.</summary>
    public DmarcRecordLookup(IDnsResolver resolver, DmarcRecordCache records)
    {
        _resolver = resolver;
        _records = records;
    }

    /// <summary>The records at <c>_dmarc.</c><paramref name="domain"/> (a normalized name).</summary>
    public Task<DmarcRecordSet> GetAsync(string domain, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_sets.TryGetValue(domain, out var task))
            {
                task = QueryAsync(domain, cancellationToken);
                _sets.Add(domain, task);
            }

            return task;
        }
    }

    private async Task<DmarcRecordSet> QueryAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await _resolver.QueryTxtAsync("_dmarc." + domain, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryError)
        {
            return new DmarcRecordSet(domain, DmarcRecordSetStatus.TempError, null, response.Detail ?? response.Status.ToString());
        }

        DmarcRecordParseResult? single = null;
        var count = 0;
        if (response.Status == DnsResponseStatus.Answer)
        {
            // Indexed: a foreach over IReadOnlyList would box an enumerator per lookup.
            var texts = response.Records;
            for (var i = 0; i < texts.Count; i++)
            {
                var parsed = _records.GetOrParse(texts[i]);
                if (parsed.Status == DmarcRecordParseStatus.NotDmarc)
                {
                    continue; // RFC 9989 §4.10 step 2: records that do not start with v=DMARC1 are discarded
                }

                single = parsed;
                count++;
            }
        }

        return count switch
        {
            0 => new DmarcRecordSet(domain, DmarcRecordSetStatus.Empty, null, null),
            1 => new DmarcRecordSet(domain, DmarcRecordSetStatus.Single, single, null),
            _ => new DmarcRecordSet(domain, DmarcRecordSetStatus.Multiple, null, $"{count} DMARC records"),
        };
    }
}
