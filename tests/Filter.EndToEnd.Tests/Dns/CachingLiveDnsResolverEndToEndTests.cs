using System.Net;
using Filter.Engine.Dns;
using Filter.Testing;
using Filter.Testing.Dns;

namespace Filter.EndToEnd.Tests.Dns;

/// <summary>
/// The cache in front of the live resolver, against knotd: once answered, a question is served
/// without the server (the server is killed) until its TTL runs out on the test's clock; negative
/// answers live min(SOA TTL, SOA MINIMUM). Each test has its own server, since it kills it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CachingLiveDnsResolverEndToEndTests
{
    private KnotDnsServer _server = null!;
    private ManualTimeProvider _clock = null!;
    private IDnsResolver _resolver = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await KnotRequirement.StartTestZonesAsync();
        _clock = new ManualTimeProvider();
        // Short timeouts: after the server is killed, a query that reaches the network fails fast.
        _resolver = LiveDnsResolver.Create(
            LiveDnsResolverEndToEndTests.Options(_server) with { Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 },
            _clock);
    }

    [TearDown]
    public void StopServer() => _server?.Dispose();

    [Test]
    public async Task AnswersComeFromTheCacheUntilTheirTtlRunsOut()
    {
        var first = await _resolver.QueryAAsync("host.example.test", CancellationToken.None);
        var short30 = await _resolver.QueryAAsync("short.example.test", CancellationToken.None);
        _server.Stop();

        var cached = await _resolver.QueryAAsync("host.example.test", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(31));
        var shortExpired = await _resolver.QueryAAsync("short.example.test", CancellationToken.None);
        var stillCached = await _resolver.QueryAAsync("Host.Example.Test.", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(270));
        var expired = await _resolver.QueryAAsync("host.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(DnsResponseStatus.Answer), first.Detail);
            Assert.That(short30.Status, Is.EqualTo(DnsResponseStatus.Answer), short30.Detail);
            Assert.That(cached, Is.SameAs(first), "served by the cache: the server is gone");
            Assert.That(stillCached, Is.SameAs(first), "300 s TTL not over after 31 s");
            Assert.That(shortExpired.IsTemporaryError, Is.True, "30 s TTL over: asked the (dead) server again: " + shortExpired.Detail);
            Assert.That(expired.IsTemporaryError, Is.True, "300 s TTL over: asked the (dead) server again: " + expired.Detail);
        });
    }

    [Test]
    public async Task NegativeAnswersAreCachedForTheSoaMinimum()
    {
        var nxDomain = await _resolver.QueryTxtAsync("nothing.example.test", CancellationToken.None);
        var noData = await _resolver.QueryMxAsync("host.example.test", CancellationToken.None);
        _server.Stop();

        _clock.Advance(TimeSpan.FromSeconds(119));
        var nxDomainCached = await _resolver.QueryTxtAsync("nothing.example.test", CancellationToken.None);
        var noDataCached = await _resolver.QueryMxAsync("host.example.test", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var nxDomainExpired = await _resolver.QueryTxtAsync("nothing.example.test", CancellationToken.None);
        var noDataExpired = await _resolver.QueryMxAsync("host.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(nxDomain.Status, Is.EqualTo(DnsResponseStatus.NxDomain), nxDomain.Detail);
            Assert.That(noData.Status, Is.EqualTo(DnsResponseStatus.NoData), noData.Detail);
            Assert.That(nxDomainCached, Is.SameAs(nxDomain));
            Assert.That(noDataCached, Is.SameAs(noData));
            Assert.That(nxDomainExpired.IsTemporaryError, Is.True, nxDomainExpired.Detail);
            Assert.That(noDataExpired.IsTemporaryError, Is.True, noDataExpired.Detail);
        });
    }

    [Test]
    public async Task ConcurrentIdenticalQueriesGetOneSharedAnswer()
    {
        var queries = Enumerable.Range(0, 20)
            .Select(_ => _resolver.QueryTxtAsync("multi.example.test", CancellationToken.None).AsTask())
            .ToArray();
        var responses = await Task.WhenAll(queries);

        Assert.Multiple(() =>
        {
            Assert.That(responses[0].Records, Is.EqualTo(new[] { "v=spf1 ip4:192.0.2.0/24 -all" }), responses[0].Detail);
            Assert.That(responses, Has.All.SameAs(responses[0]), "one lookup, one response object for every caller");
        });
    }

    [Test]
    public async Task ReverseAndMailExchangerAnswersAreCachedToo()
    {
        var ptr = await _resolver.QueryPtrAsync(ReverseName.For(IPAddress.Parse("192.0.2.10")), CancellationToken.None);
        var mx = await _resolver.QueryMxAsync("example.test", CancellationToken.None);
        _server.Stop();

        Assert.Multiple(async () =>
        {
            Assert.That(await _resolver.QueryPtrAsync("10.2.0.192.in-addr.arpa", CancellationToken.None), Is.SameAs(ptr));
            Assert.That(await _resolver.QueryMxAsync("example.test.", CancellationToken.None), Is.SameAs(mx));
        });
    }
}
