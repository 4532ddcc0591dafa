using System.Net;

namespace Filter.Engine.Dns;

/// <summary>
/// DNS described as data: owner names with their A, AAAA, MX, TXT, PTR and CNAME records, plus
/// injected failures (a name that times out or fails, for every type or one). Filled by the RFC 1035
/// master-file reader (<see cref="ZoneFileReader"/>), by conformance harnesses from their YAML zonedata, or by hand in tests;
/// served by <see cref="ZoneResolver"/>.
/// </summary>
/// <remarks>
/// Names are case-insensitive and stored without the trailing dot. A name with no records of its own
/// but with records below it is an empty non-terminal: it exists (NODATA), as in real DNS
/// (RFC 8020). A wildcard owner (<c>*.example</c>) answers for names that do not exist below it
/// (RFC 4592 §2.2, closest-encloser rule simplified to one wildcard per level).
/// </remarks>
public sealed class DnsZone
{
    // Every key goes through Normalize (lower case, no trailing dot), so ordinal comparison is exact and
    // cheaper than hashing case-insensitively on every query.
    private readonly Dictionary<string, ZoneNode> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _existingNames = new(StringComparer.Ordinal);

    /// <summary>Every owner name that has records or failures, lower-cased as given.</summary>
    public IEnumerable<string> OwnerNames => _nodes.Keys;

    public void AddA(string name, IPAddress address) => Node(name).A.Add(address);

    public void AddAaaa(string name, IPAddress address) => Node(name).Aaaa.Add(address);

    public void AddMx(string name, ushort preference, string exchange) =>
        Node(name).Mx.Add(new MxRecord(preference, Normalize(exchange)));

    /// <summary>Adds one TXT record whose character-strings are already joined (RFC 7208 §3.3).</summary>
    public void AddTxt(string name, string joinedText) => Node(name).Txt.Add(joinedText);

    public void AddPtr(string name, string target) => Node(name).Ptr.Add(Normalize(target));

    public void AddCname(string name, string target) => Node(name).Cname = Normalize(target);

    /// <summary>
    /// Makes <paramref name="name"/> exist without records the engine reads (it owns an SOA, NS or
    /// other type), so queries for it answer NODATA rather than NXDOMAIN.
    /// </summary>
    public void AddOwner(string name) => Node(name);

    /// <summary>
    /// Records the TTL of the <paramref name="type"/> records at <paramref name="name"/>. When the
    /// records of one set were given different TTLs, the lowest is kept (RFC 2181 §5.2).
    /// </summary>
    public void SetTtl(string name, DnsRecordType type, uint ttl)
    {
        var ttls = Node(name).Ttls;
        ttls[type] = ttls.TryGetValue(type, out var existing) ? Math.Min(existing, ttl) : ttl;
    }

    /// <summary>The TTL given to the <paramref name="type"/> records at <paramref name="name"/>, if any was.</summary>
    public uint? GetTtl(string name, DnsRecordType type) =>
        TryGetNode(name, out var node) && node.Ttls.TryGetValue(type, out var ttl) ? ttl : null;

    /// <summary>
    /// Makes queries for <paramref name="name"/> end with <paramref name="status"/> (timeout or
    /// server failure) for <paramref name="type"/>, or for every type when it is null. Types that
    /// have records at this name still answer normally (the SPF suite's TIMEOUT semantics).
    /// </summary>
    public void AddFailure(string name, DnsResponseStatus status, DnsRecordType? type = null)
    {
        if (status is not (DnsResponseStatus.Timeout or DnsResponseStatus.ServerFailure))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only Timeout and ServerFailure can be injected.");
        }

        Node(name).Failures[type ?? AnyType] = status;
    }

    /// <summary>
    /// As <see cref="AddFailure(string, DnsResponseStatus, DnsRecordType?)"/>, answering with
    /// <paramref name="detail"/> as the failure's text (a recorded failure replays with the words the
    /// live resolver used, so reasons built from it match exactly; issue 6 item 6).
    /// </summary>
    public void AddFailure(string name, DnsResponseStatus status, DnsRecordType? type, string? detail)
    {
        AddFailure(name, status, type);
        if (detail is not null)
        {
            Node(name).FailureDetails[type ?? AnyType] = detail;
        }
    }

    internal const DnsRecordType AnyType = 0;

    internal bool TryGetNode(string name, out ZoneNode node) => _nodes.TryGetValue(Normalize(name), out node!);

    /// <summary>True when the name owns records or has names below it (empty non-terminal).</summary>
    internal bool Exists(string name) => _existingNames.Contains(Normalize(name));

    private ZoneNode Node(string name)
    {
        var key = Normalize(name);
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = new ZoneNode();
            _nodes.Add(key, node);
            // Every ancestor of an owner name exists in the tree (RFC 1034 §3.1, RFC 8020).
            var current = key;
            while (true)
            {
                _existingNames.Add(current);
                var dot = current.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0)
                {
                    break;
                }

                current = current[(dot + 1)..];
            }
        }

        return node;
    }

    internal static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Query names are nearly always lower-case ASCII without the trailing dot already: return them as
        // they are instead of copying (RFC 4343 case-insensitivity is kept by the slow path below).
        if (IsNormalAscii(name))
        {
            return name;
        }

        return name.EndsWith('.') ? name[..^1].ToLowerInvariant() : name.ToLowerInvariant();
    }

    private static bool IsNormalAscii(string name)
    {
        if (name.Length > 0 && name[^1] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is >= 'A' and <= 'Z' || c > (char)0x7F)
            {
                return false;
            }
        }

        return true;
    }

    internal sealed class ZoneNode
    {
        // One answer per record type, built on first use and reused: records are only ever added (never
        // removed or changed), so a cached answer is current exactly while its count equals the list's.
        private readonly object?[] _answers = new object?[5];

        public List<IPAddress> A { get; } = [];

        public List<IPAddress> Aaaa { get; } = [];

        public List<MxRecord> Mx { get; } = [];

        public List<string> Txt { get; } = [];

        public List<string> Ptr { get; } = [];

        public string? Cname { get; set; }

        public Dictionary<DnsRecordType, DnsResponseStatus> Failures { get; } = [];

        public Dictionary<DnsRecordType, string> FailureDetails { get; } = [];

        public Dictionary<DnsRecordType, uint> Ttls { get; } = [];

        /// <summary>The answer for <paramref name="records"/> (this node's list of <paramref name="type"/>), shared between queries.</summary>
        public DnsResponse<T> Answer<T>(List<T> records, DnsRecordType type)
        {
            var slot = type switch
            {
                DnsRecordType.A => 0,
                DnsRecordType.Aaaa => 1,
                DnsRecordType.Mx => 2,
                DnsRecordType.Txt => 3,
                DnsRecordType.Ptr => 4,
                _ => -1,
            };
            if (slot < 0)
            {
                return new DnsResponse<T>(DnsResponseStatus.Answer, records.ToArray());
            }

            if (_answers[slot] is DnsResponse<T> cached && cached.Records.Count == records.Count)
            {
                return cached;
            }

            var answer = new DnsResponse<T>(DnsResponseStatus.Answer, records.ToArray());
            _answers[slot] = answer;
            return answer;
        }

        public int Count(DnsRecordType type) => type switch
        {
            DnsRecordType.A => A.Count,
            DnsRecordType.Aaaa => Aaaa.Count,
            DnsRecordType.Mx => Mx.Count,
            DnsRecordType.Txt => Txt.Count,
            DnsRecordType.Ptr => Ptr.Count,
            DnsRecordType.Cname => Cname is null ? 0 : 1,
            _ => 0,
        };
    }
}
