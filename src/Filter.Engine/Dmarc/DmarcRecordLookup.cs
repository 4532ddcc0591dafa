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
    // A message asks for a handful of names (the Author Domain, its walk, the SPF and DKIM domains'
    // walks, mostly the same names), so a short list searched in order costs less than a dictionary
    // built per message; the walk limit and the signature limit bound its length. Guarded by locking
    // the list itself: walks for different identifiers may resume on different threads.
    private readonly List<KeyValuePair<string, Task<DmarcRecordSet>>> _sets = new(4);

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
        lock (_sets)
        {
            for (var i = 0; i < _sets.Count; i++)
            {
                if (string.Equals(_sets[i].Key, domain, StringComparison.Ordinal))
                {
                    return _sets[i].Value;
                }
            }

            var task = QueryAsync(domain, cancellationToken);
            _sets.Add(new KeyValuePair<string, Task<DmarcRecordSet>>(domain, task));
            return task;
        }
    }

    private async Task<DmarcRecordSet> QueryAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await _resolver.QueryTxtAsync(_records.QueryName(domain), cancellationToken).ConfigureAwait(false);
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
