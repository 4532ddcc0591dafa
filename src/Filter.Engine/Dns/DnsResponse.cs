namespace Filter.Engine.Dns;

/// <summary>
/// The typed outcome of one DNS query: a status and, for <see cref="DnsResponseStatus.Answer"/>,
/// the records. Never thrown: DNS trouble is a value (DESIGN.md, house rules).
/// </summary>
/// <typeparam name="T">The record data: a joined TXT string, an address, an MX or a PTR name.</typeparam>
public sealed record DnsResponse<T>(DnsResponseStatus Status, IReadOnlyList<T> Records, string? Detail = null)
{
    /// <summary>True for NODATA and NXDOMAIN: the RFC 7208 §4.6.4 "void lookup".</summary>
    public bool IsVoid => Status is DnsResponseStatus.NoData or DnsResponseStatus.NxDomain
        || (Status == DnsResponseStatus.Answer && Records.Count == 0);

    /// <summary>True for SERVFAIL and timeout: the caller reports a temporary error.</summary>
    public bool IsTemporaryError => Status is DnsResponseStatus.ServerFailure or DnsResponseStatus.Timeout;

    /// <summary>
    /// How long this response may be reused, as its source stated it: for an answer the smallest TTL
    /// of the records used (CNAMEs of the chain included, RFC 2181 §5.2); for NODATA and NXDOMAIN the
    /// negative TTL, min(SOA TTL, SOA MINIMUM) of the authority section (RFC 2308 §5). Null when the
    /// source gives none (zone data, failures, a negative answer without SOA); a cache then applies its
    /// own default.
    /// </summary>
    public TimeSpan? TimeToLive { get; init; }

    public static DnsResponse<T> FromRecords(IReadOnlyList<T> records) =>
        new(records.Count == 0 ? DnsResponseStatus.NoData : DnsResponseStatus.Answer, records);

    // Immutable and without a TTL: one instance of each serves every negative answer (the tree walk
    // meets an NXDOMAIN at nearly every message), instead of a new record per query.
    private static readonly DnsResponse<T> NoDataResponse = new(DnsResponseStatus.NoData, []);
    private static readonly DnsResponse<T> NxDomainResponse = new(DnsResponseStatus.NxDomain, []);

    /// <summary>NODATA without a TTL (a shared instance).</summary>
    public static DnsResponse<T> NoData() => NoDataResponse;

    /// <summary>NXDOMAIN without a TTL (a shared instance).</summary>
    public static DnsResponse<T> NxDomain() => NxDomainResponse;

    public static DnsResponse<T> Failure(DnsResponseStatus status, string detail) => new(status, [], detail);
}
