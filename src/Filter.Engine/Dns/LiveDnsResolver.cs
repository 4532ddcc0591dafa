using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Filter.Engine.Dns;

/// <summary>
/// Asks real recursive resolvers, through DnsClient.NET, and maps every outcome to a
/// <see cref="DnsResponse{T}"/>: records, NODATA (RCODE 0 without records of the type, a CNAME-only
/// answer included), NXDOMAIN (RCODE 3), <see cref="DnsResponseStatus.ServerFailure"/> (SERVFAIL,
/// REFUSED, FORMERR, any other RCODE, a malformed or truncated reply, a socket error) and
/// <see cref="DnsResponseStatus.Timeout"/>. No DNS trouble escapes as an exception; only the
/// caller's own cancellation does.
/// </summary>
/// <remarks>
/// DnsClient's own cache is off: <see cref="CachingDnsResolver"/> caches instead, with negative
/// caching and shared in-flight lookups. Use <see cref="Create"/> to get both. Each response
/// carries its TTL (<see cref="DnsResponse{T}.TimeToLive"/>) for that cache.
/// </remarks>
public sealed class LiveDnsResolver : IDnsResolver
{
    /// <summary>CNAME hops followed inside one answer before giving up (as <see cref="ZoneResolver.MaxCnameChain"/>).</summary>
    private const int MaxCnameChain = ZoneResolver.MaxCnameChain;

    private readonly LookupClient _client;

    /// <summary>Builds a resolver; throws when no name server is configured and the system lists none.</summary>
    public LiveDnsResolver(LiveDnsResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries, nameof(options.Retries));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.UdpPayloadSize, 512, nameof(options.UdpPayloadSize));

        var servers = options.NameServers.Count > 0
            ? options.NameServers.ToArray()
            : SystemNameServers();
        NameServers = servers;
        _client = new LookupClient(new LookupClientOptions(servers)
        {
            UseCache = false,
            Timeout = options.Timeout,
            Retries = options.Retries,
            UseTcpFallback = options.UseTcpFallback,
            ExtendedDnsBufferSize = options.UdpPayloadSize,
            // DNS errors come back as RCODEs for us to map, never as exceptions.
            ThrowDnsErrors = false,
            // DnsClient would ask the next server on NXDOMAIN too (it counts every RCODE != 0 as an
            // error), doubling the cost of the void lookups SPF makes all the time; a recursive
            // resolver's SERVFAIL is its considered answer, so the first reply stands.
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
            EnableAuditTrail = false,
        });
    }

    /// <summary>The servers asked, in order.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; }

    /// <summary>A live resolver behind its cache (<see cref="LiveDnsResolverOptions.Cache"/>): what the daemon uses.</summary>
    public static IDnsResolver Create(LiveDnsResolverOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CachingDnsResolver(new LiveDnsResolver(options), options.Cache, timeProvider);
    }

    public ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.TXT, static record => record is TxtRecord txt ? TxtRecordDecoder.Join(txt) : null, cancellationToken);

    public ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.A, static record => (record as ARecord)?.Address, cancellationToken);

    public ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.AAAA, static record => (record as AaaaRecord)?.Address, cancellationToken);

    public ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(
            name,
            QueryType.MX,
            static record => record is DnsClient.Protocol.MxRecord mx ? new MxRecord(mx.Preference, WithoutTrailingDot(mx.Exchange.Value)) : null,
            cancellationToken);

    public ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync(name, QueryType.PTR, static record => record is PtrRecord ptr ? WithoutTrailingDot(ptr.PtrDomainName.Value) : null, cancellationToken);

    private async ValueTask<DnsResponse<T>> QueryAsync<T>(
        string name,
        QueryType type,
        Func<DnsResourceRecord, T?> convert,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(name);
        var queryName = WithoutTrailingDot(name);
        if (!DnsNameRules.IsQueryable(queryName, out var invalidReason))
        {
            // A name that cannot be put on the wire cannot exist (RFC 1035 §2.3.4).
            return DnsResponse<T>.NxDomain() with { Detail = $"{name} {type}: {invalidReason}" };
        }

        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(queryName, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested
            && exception is OperationCanceledException or DnsResponseException)
        {
            // The caller gave up: that is not DNS trouble. DnsClient reports it as a timeout; undo that.
            throw new OperationCanceledException("DNS query cancelled by the caller", exception, cancellationToken);
        }
        catch (DnsResponseException exception) when (exception.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsResponse<T>.Failure(DnsResponseStatus.Timeout, $"{queryName} {type}: no answer ({Describe(exception)})");
        }
        catch (Exception exception) when (exception is DnsResponseException or DnsResponseParseException or DnsXidMismatchException
            or SocketException or IOException or TimeoutException or OperationCanceledException)
        {
            var status = exception is TimeoutException or OperationCanceledException ? DnsResponseStatus.Timeout : DnsResponseStatus.ServerFailure;
            return DnsResponse<T>.Failure(status, $"{queryName} {type}: {Describe(exception)}");
        }
        catch (ArgumentException exception)
        {
            // DnsClient refused to encode the name (e.g. a label it cannot convert to an A-label).
            return DnsResponse<T>.NxDomain() with { Detail = $"{queryName} {type}: not a valid DNS name ({exception.Message})" };
        }

        return Map(queryName, type, response, convert);
    }

    private static DnsResponse<T> Map<T>(string queryName, QueryType type, IDnsQueryResponse response, Func<DnsResourceRecord, T?> convert)
        where T : class
    {
        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return DnsResponse<T>.NxDomain() with { TimeToLive = NegativeTtl(response), Detail = $"{queryName} {type}: NXDOMAIN" };
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            // SERVFAIL, REFUSED, FORMERR, NOTIMP and anything else: the server could not answer.
            return DnsResponse<T>.Failure(DnsResponseStatus.ServerFailure, $"{queryName} {type}: server {response.NameServer} answered {code}");
        }

        // Follow the CNAME chain inside the answer section from the query name (RFC 1034 §3.6.2),
        // taking only records owned by a name of the chain.
        var records = new List<T>();
        var owner = queryName;
        var ttl = int.MaxValue;
        for (var hop = 0; hop <= MaxCnameChain; hop++)
        {
            string? next = null;
            var cnameTtl = 0;
            foreach (var record in response.Answers)
            {
                if (!SameName(record.DomainName.Value, owner))
                {
                    continue;
                }

                if (record is CNameRecord cname)
                {
                    next = WithoutTrailingDot(cname.CanonicalName.Value);
                    cnameTtl = cname.TimeToLive;
                }
                else if (convert(record) is { } value)
                {
                    records.Add(value);
                    ttl = Math.Min(ttl, record.TimeToLive);
                }
            }

            if (records.Count > 0)
            {
                return new DnsResponse<T>(DnsResponseStatus.Answer, records) { TimeToLive = TimeSpan.FromSeconds(Math.Max(0, ttl)) };
            }

            if (next is null || SameName(next, owner))
            {
                break;
            }

            ttl = Math.Min(ttl, cnameTtl);
            owner = next;
        }

        var detail = SameName(owner, queryName)
            ? $"{queryName} {type}: NODATA"
            : $"{queryName} {type}: NODATA (CNAME to {owner} without {type} records)";
        return DnsResponse<T>.NoData() with { TimeToLive = NegativeTtl(response), Detail = detail };
    }

    /// <summary>RFC 2308 §5: a negative answer lives min(SOA TTL, SOA MINIMUM); null without SOA.</summary>
    private static TimeSpan? NegativeTtl(IDnsQueryResponse response)
    {
        foreach (var record in response.Authorities)
        {
            if (record is SoaRecord soa)
            {
                return TimeSpan.FromSeconds(Math.Min((uint)Math.Max(0, soa.TimeToLive), soa.Minimum));
            }
        }

        return null;
    }

    private static IPEndPoint[] SystemNameServers()
    {
        var resolved = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false);
        if (resolved.Count == 0)
        {
            throw new InvalidOperationException("No DNS servers: none are configured and the system lists none (/etc/resolv.conf).");
        }

        var endpoints = new List<IPEndPoint>(resolved.Count);
        foreach (var server in resolved)
        {
            endpoints.Add(new IPEndPoint(IPAddress.Parse(server.Address), server.Port));
        }

        return [.. endpoints];
    }

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} {inner.GetType().Name}: {inner.Message}" : exception.Message;

    private static bool SameName(string a, string b) =>
        a.AsSpan().TrimEnd('.').Equals(b.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Drops the trailing dot; the root "." becomes "" as in <see cref="DnsZone"/> (a null MX, RFC 7505).</summary>
    private static string WithoutTrailingDot(string name) => name.EndsWith('.') ? name[..^1] : name;
}
