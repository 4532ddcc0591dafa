using System.Net;
using BenchmarkDotNet.Attributes;
using DnsClient;
using DnsClient.Protocol;
using Filter.Engine.Dns;

namespace Filter.Benchmarks.Dns;

/// <summary>
/// The DNS layer's hot path: a warm-cache lookup (what every SPF term, DKIM key and DMARC record
/// costs once the cache holds it), and TXT decoding of a multi-string record as the live resolver
/// does it (valid UTF-8: the common case; invalid octets: the alignment path).
/// </summary>
[MemoryDiagnoser]
public class DnsCacheBenchmarks
{
    private CachingDnsResolver _cache = null!;
    private TxtRecord _validTxt = null!;
    private TxtRecord _invalidTxt = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var zone = new DnsZone();
        zone.AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all");
        zone.AddA("mail.example.com", IPAddress.Parse("192.0.2.10"));
        _cache = new CachingDnsResolver(new ZoneResolver(zone), new DnsCacheOptions(), TimeProvider.System);
        _cache.QueryTxtAsync("example.com", CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _cache.QueryAAsync("mail.example.com", CancellationToken.None).AsTask().GetAwaiter().GetResult();

        _validTxt = Record("v=DKIM1; k=rsa; p="u8.ToArray(), new byte[240].Select(_ => (byte)'A').ToArray(), "caf\u00e9"u8.ToArray());
        _invalidTxt = Record("v=spf1 "u8.ToArray(), [0x63, 0x61, 0x66, 0xC3], [0xA9, 0x20, 0xFF, 0x5C, 0x32, 0x30, 0x30, 0x2D, 0x61, 0x6C, 0x6C]);
    }

    [Benchmark(Description = "warm cache: TXT hit")]
    public int WarmTxt() => _cache.QueryTxtAsync("example.com", CancellationToken.None).Result.Records.Count;

    [Benchmark(Description = "warm cache: A hit, other case and trailing dot")]
    public int WarmA() => _cache.QueryAAsync("Mail.Example.COM.", CancellationToken.None).Result.Records.Count;

    [Benchmark(Description = "TXT decode: 3 valid UTF-8 strings")]
    public int DecodeValid() => TxtRecordDecoder.Join(_validTxt).Length;

    [Benchmark(Description = "TXT decode: character cut across strings, invalid octets")]
    public int DecodeInvalid() => TxtRecordDecoder.Join(_invalidTxt).Length;

    private static TxtRecord Record(params byte[][] strings) => new(
        new ResourceRecordInfo("example.com.", ResourceRecordType.TXT, QueryClass.IN, 300, strings.Sum(s => s.Length + 1)),
        strings.Select(DnsDatagramReader.ParseString).ToArray(),
        strings.Select(s => DnsDatagramReader.ReadUTF8String(new ArraySegment<byte>(s))).ToArray());
}
