using System.Net;
using Filter.Engine.Dns;
using Filter.Testing;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// The cache decorator over zone data on a manual clock: a change to the zone is seen only once the
/// cached response expires, so every test shows what was served from the cache and for how long.
/// </summary>
[TestFixture]
public sealed class CachingDnsResolverTests
{
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.2");

    private DnsZone _zone = null!;
    private ManualTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _zone = new DnsZone();
        _clock = new ManualTimeProvider();
    }

    private CachingDnsResolver Cache(DnsCacheOptions? options = null, IDnsResolver? inner = null) =>
        new(inner ?? new ZoneResolver(_zone), options ?? new DnsCacheOptions(), _clock);

    [Test]
    public async Task AnAnswerWithoutTtlLivesForTheDefaultTtl()
    {
        _zone.AddA("host.example", First);
        var cache = Cache(new DnsCacheOptions { DefaultTtl = TimeSpan.FromSeconds(60) });

        var first = await cache.QueryAAsync("host.example", CancellationToken.None);
        _zone.AddA("host.example", Second);
        _clock.Advance(TimeSpan.FromSeconds(59));
        var cached = await cache.QueryAAsync("HOST.example.", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await cache.QueryAAsync("host.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Records, Is.EqualTo(new[] { First }));
            Assert.That(cached, Is.SameAs(first), "same question in another case, with a trailing dot");
            Assert.That(fresh.Records, Is.EqualTo(new[] { First, Second }), "expired: asked again");
        });
    }

    [Test]
    public async Task AnAnswersOwnTtlWinsAndIsCappedByMaxTtl()
    {
        _zone.AddTxt("short.example", "one");
        _zone.AddTxt("long.example", "one");
        var inner = new TtlResolver(new ZoneResolver(_zone), new Dictionary<string, TimeSpan>
        {
            ["short.example"] = TimeSpan.FromSeconds(10),
            ["long.example"] = TimeSpan.FromDays(30),
        });
        var cache = Cache(new DnsCacheOptions { MaxTtl = TimeSpan.FromHours(1) }, inner);

        await cache.QueryTxtAsync("short.example", CancellationToken.None);
        await cache.QueryTxtAsync("long.example", CancellationToken.None);
        _zone.AddTxt("short.example", "two");
        _zone.AddTxt("long.example", "two");
        _clock.Advance(TimeSpan.FromSeconds(10));
        var shortAfter10Seconds = await cache.QueryTxtAsync("short.example", CancellationToken.None);
        var longAfter10Seconds = await cache.QueryTxtAsync("long.example", CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));
        var longAfterAnHour = await cache.QueryTxtAsync("long.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(shortAfter10Seconds.Records, Has.Count.EqualTo(2), "10 s TTL over");
            Assert.That(longAfter10Seconds.Records, Has.Count.EqualTo(1), "still cached");
            Assert.That(longAfterAnHour.Records, Has.Count.EqualTo(2), "30 days capped to MaxTtl = 1 h");
        });
    }

    [Test]
    public async Task AZeroTtlIsUsedForThisLookupOnly()
    {
        _zone.AddA("host.example", First);
        var inner = new TtlResolver(new ZoneResolver(_zone), new Dictionary<string, TimeSpan> { ["host.example"] = TimeSpan.Zero });
        var cache = Cache(inner: inner);

        await cache.QueryAAsync("host.example", CancellationToken.None);
        _zone.AddA("host.example", Second);
        var again = await cache.QueryAAsync("host.example", CancellationToken.None);

        Assert.That(again.Records, Has.Count.EqualTo(2), "RFC 1035 §3.2.1: TTL 0 is not cached");
    }

    [Test]
    public async Task NxDomainAndNoDataAreCachedForTheNegativeTtl()
    {
        _zone.AddTxt("exists.example", "text");
        var cache = Cache(new DnsCacheOptions { NegativeDefaultTtl = TimeSpan.FromSeconds(30) });

        var nxDomain = await cache.QueryAAsync("missing.example", CancellationToken.None);
        var noData = await cache.QueryAAsync("exists.example", CancellationToken.None);
        _zone.AddA("missing.example", First);
        _zone.AddA("exists.example", First);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var nxDomainCached = await cache.QueryAAsync("missing.example", CancellationToken.None);
        var noDataCached = await cache.QueryAAsync("exists.example", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var nowThere = await cache.QueryAAsync("missing.example", CancellationToken.None);
        var nowData = await cache.QueryAAsync("exists.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(nxDomain.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(noData.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(nxDomainCached, Is.SameAs(nxDomain));
            Assert.That(noDataCached, Is.SameAs(noData));
            Assert.That(nowThere.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(nowData.Status, Is.EqualTo(DnsResponseStatus.Answer));
        });
    }

    [Test]
    public async Task TheSoaNegativeTtlIsHonouredAndCapped()
    {
        var inner = new TtlResolver(new ZoneResolver(_zone), new Dictionary<string, TimeSpan>
        {
            ["soa-short.example"] = TimeSpan.FromSeconds(5),
            ["soa-long.example"] = TimeSpan.FromDays(1),
        });
        var cache = Cache(new DnsCacheOptions { NegativeMaxTtl = TimeSpan.FromMinutes(10) }, inner);

        await cache.QueryMxAsync("soa-short.example", CancellationToken.None);
        await cache.QueryMxAsync("soa-long.example", CancellationToken.None);
        _zone.AddMx("soa-short.example", 10, "mx.example");
        _zone.AddMx("soa-long.example", 10, "mx.example");
        _clock.Advance(TimeSpan.FromSeconds(5));
        var shortExpired = await cache.QueryMxAsync("soa-short.example", CancellationToken.None);
        var longCached = await cache.QueryMxAsync("soa-long.example", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var longExpired = await cache.QueryMxAsync("soa-long.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(shortExpired.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(longCached.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(longExpired.Status, Is.EqualTo(DnsResponseStatus.Answer), "1 day capped to NegativeMaxTtl = 10 min");
        });
    }

    [Test]
    public async Task FailuresAreCachedBrieflyAndNotAtAllWhenTheFailureTtlIsZero()
    {
        _zone.AddFailure("flaky.example", DnsResponseStatus.ServerFailure, DnsRecordType.A);
        _zone.AddFailure("slow.example", DnsResponseStatus.Timeout, DnsRecordType.A);
        var brief = Cache(new DnsCacheOptions { FailureTtl = TimeSpan.FromSeconds(5) });
        var never = Cache(new DnsCacheOptions { FailureTtl = TimeSpan.Zero });

        var failed = await brief.QueryAAsync("flaky.example", CancellationToken.None);
        var timedOut = await brief.QueryAAsync("slow.example", CancellationToken.None);
        await never.QueryAAsync("flaky.example", CancellationToken.None);
        // The zone's injected failures only apply to types without records: adding one heals the name.
        _zone.AddA("flaky.example", First);
        _zone.AddA("slow.example", First);
        var failedCached = await brief.QueryAAsync("flaky.example", CancellationToken.None);
        var timedOutCached = await brief.QueryAAsync("slow.example", CancellationToken.None);
        var notCached = await never.QueryAAsync("flaky.example", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var healed = await brief.QueryAAsync("flaky.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
            Assert.That(timedOut.Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That(failedCached, Is.SameAs(failed));
            Assert.That(timedOutCached, Is.SameAs(timedOut));
            Assert.That(notCached.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(healed.Status, Is.EqualTo(DnsResponseStatus.Answer));
        });
    }

    [Test]
    public async Task TheLeastRecentlyUsedEntryGoesWhenTheCacheIsFull()
    {
        _zone.AddA("a.example", First);
        _zone.AddA("b.example", First);
        _zone.AddA("c.example", First);
        var cache = Cache(new DnsCacheOptions { MaxEntries = 2 });

        await cache.QueryAAsync("a.example", CancellationToken.None);
        await cache.QueryAAsync("b.example", CancellationToken.None);
        await cache.QueryAAsync("a.example", CancellationToken.None); // a is now more recent than b
        await cache.QueryAAsync("c.example", CancellationToken.None); // b goes
        _zone.AddA("a.example", Second);
        _zone.AddA("b.example", Second);
        var a = await cache.QueryAAsync("a.example", CancellationToken.None);
        var b = await cache.QueryAAsync("b.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.EqualTo(2));
            Assert.That(a.Records, Has.Count.EqualTo(1), "a was kept");
            Assert.That(b.Records, Has.Count.EqualTo(2), "b was evicted and asked again");
        });
    }

    [Test]
    public async Task TypesAreCachedApart()
    {
        _zone.AddA("host.example", First);
        _zone.AddTxt("host.example", "text");
        var cache = Cache();

        var a = await cache.QueryAAsync("host.example", CancellationToken.None);
        var txt = await cache.QueryTxtAsync("host.example", CancellationToken.None);
        var aaaa = await cache.QueryAaaaAsync("host.example", CancellationToken.None);
        var ptr = await cache.QueryPtrAsync("host.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(a.Records, Is.EqualTo(new[] { First }));
            Assert.That(txt.Records, Is.EqualTo(new[] { "text" }));
            Assert.That(aaaa.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(ptr.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(cache.Count, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ConcurrentIdenticalQueriesShareOneLookup()
    {
        _zone.AddTxt("spf.example", "v=spf1 -all");
        var gate = new GatedResolver(new ZoneResolver(_zone));
        var cache = Cache(inner: gate);

        var waiting = Enumerable.Range(0, 10).Select(_ => cache.QueryTxtAsync("spf.example", CancellationToken.None).AsTask()).ToArray();
        var other = cache.QueryTxtAsync("other.example", CancellationToken.None).AsTask();
        gate.Open();
        var responses = await Task.WhenAll(waiting);
        await other;

        Assert.Multiple(() =>
        {
            Assert.That(gate.Calls("spf.example"), Is.EqualTo(1), "one lookup for ten callers");
            Assert.That(gate.Calls("other.example"), Is.EqualTo(1));
            Assert.That(responses, Has.All.SameAs(responses[0]));
            Assert.That(responses[0].Records, Is.EqualTo(new[] { "v=spf1 -all" }));
        });
    }

    [Test]
    public async Task OneCallerGivingUpDoesNotCancelTheSharedLookup()
    {
        _zone.AddTxt("spf.example", "v=spf1 -all");
        var gate = new GatedResolver(new ZoneResolver(_zone));
        var cache = Cache(inner: gate);
        using var impatient = new CancellationTokenSource();

        var abandoned = cache.QueryTxtAsync("spf.example", impatient.Token).AsTask();
        var patient = cache.QueryTxtAsync("spf.example", CancellationToken.None).AsTask();
        await impatient.CancelAsync();
        gate.Open();

        Assert.That(async () => await abandoned, Throws.InstanceOf<OperationCanceledException>());
        var response = await patient;
        Assert.Multiple(() =>
        {
            Assert.That(response.Records, Is.EqualTo(new[] { "v=spf1 -all" }));
            Assert.That(gate.Calls("spf.example"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ABugInTheInnerResolverReachesEveryWaiterAndIsNotCached()
    {
        var throwing = new GatedResolver(new ZoneResolver(_zone), throwOnce: true);
        var cache = Cache(inner: throwing);

        var first = cache.QueryTxtAsync("bug.example", CancellationToken.None).AsTask();
        var second = cache.QueryTxtAsync("bug.example", CancellationToken.None).AsTask();
        throwing.Open();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await first, Throws.InvalidOperationException);
            Assert.That(async () => await second, Throws.InvalidOperationException);
        });
        var afterwards = await cache.QueryTxtAsync("bug.example", CancellationToken.None);
        Assert.That(afterwards.Status, Is.EqualTo(DnsResponseStatus.NxDomain), "asked again, not served a cached exception");
    }
}
