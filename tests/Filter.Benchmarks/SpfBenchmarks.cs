using System.Net;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dns;
using Filter.Engine.Spf;

namespace Filter.Benchmarks;

/// <summary>
/// SPF check_host() over a warm cache: DNS from a <see cref="ZoneResolver"/> (answers already in
/// memory, as a warm TTL cache would give them) and the evaluator's parsed-record cache filled by
/// the first call. What is measured is the evaluator's own cost per check: record selection, term
/// evaluation, macro expansion, CIDR matching and the result value.
/// </summary>
[MemoryDiagnoser]
public class SpfBenchmarks
{
    private static readonly IPAddress DeepClient = IPAddress.Parse("192.0.2.77");
    private static readonly IPAddress FirstTermClient = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress StrangerClient = IPAddress.Parse("198.18.0.1");
    private static readonly IPAddress Ip6Client = IPAddress.Parse("2001:db8:20::25");

    private SpfEvaluator _evaluator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = new DnsZone();

        // A realistic sending domain: its own networks, web host, MX hosts, two providers by include,
        // one of which includes another (the typical ESP chain), and an exp= for failures.
        zone.AddTxt("example.com", "v=spf1 ip4:203.0.113.0/24 ip6:2001:db8:10::/48 a mx include:_spf.mailer.example include:spf.crm.example exp=why.example.com -all");
        zone.AddA("example.com", IPAddress.Parse("198.51.100.80"));
        zone.AddAaaa("example.com", IPAddress.Parse("2001:db8:80::1"));
        zone.AddMx("example.com", 10, "mx1.example.com");
        zone.AddMx("example.com", 20, "mx2.example.com");
        zone.AddA("mx1.example.com", IPAddress.Parse("198.51.100.25"));
        zone.AddA("mx2.example.com", IPAddress.Parse("198.51.100.26"));
        zone.AddAaaa("mx1.example.com", IPAddress.Parse("2001:db8:20::25"));
        zone.AddTxt("why.example.com", "%{i} is not allowed to send mail as %{s}; see https://example.com/spf");

        zone.AddTxt("_spf.mailer.example", "v=spf1 ip4:192.0.2.0/27 ip4:192.0.2.32/27 include:_netblocks.mailer.example ~all");
        zone.AddTxt("_netblocks.mailer.example", "v=spf1 ip4:198.18.128.0/20 ip4:192.0.2.64/28 ip6:2001:db8:30::/48 ~all");
        zone.AddTxt("spf.crm.example", "v=spf1 a:relay.crm.example exists:%{i}._ok.crm.example -all");
        zone.AddA("relay.crm.example", IPAddress.Parse("198.51.100.200"));

        _evaluator = new SpfEvaluator(new ZoneResolver(zone), new SpfOptions { ReceiverName = "mx.receiver.example" });

        // Warm the parsed-record cache.
        _ = PassDeepInIncludeChain();
    }

    /// <summary>Matches in the third record of an include chain: 4 DNS terms, MX host lookups, 4 TXT fetches.</summary>
    [Benchmark(Baseline = true)]
    public SpfResult PassDeepInIncludeChain() =>
        _evaluator.CheckMailFromAsync(DeepClient, "mail.sender.example", "alice@example.com", CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Matches the first term: one TXT fetch and a CIDR compare.</summary>
    [Benchmark]
    public SpfResult PassOnFirstTerm() =>
        _evaluator.CheckMailFromAsync(FirstTermClient, "mail.sender.example", "alice@example.com", CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Matches nothing: every term (6 DNS terms incl. a macro exists), then exp= is fetched and expanded.</summary>
    [Benchmark]
    public SpfResult FailWithExplanation() =>
        _evaluator.CheckMailFromAsync(StrangerClient, "mail.sender.example", "alice@example.com", CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>An IPv6 client matched through an MX host's AAAA record.</summary>
    [Benchmark]
    public SpfResult PassIPv6ViaMx() =>
        _evaluator.CheckMailFromAsync(Ip6Client, "mail.sender.example", "alice@example.com", CancellationToken.None).GetAwaiter().GetResult();
}
