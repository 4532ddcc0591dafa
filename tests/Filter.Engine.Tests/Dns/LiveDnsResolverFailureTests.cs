using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// The live resolver's failure paths against real sockets on 127.0.0.1: a server that never
/// answers, one that answers garbage, one that answers SERVFAIL, REFUSED, FORMERR, NXDOMAIN
/// without SOA, or a truncated reply with no TCP behind it. Every one is a value, never an exception.
/// </summary>
[TestFixture]
public sealed class LiveDnsResolverFailureTests
{
    /// <summary>
    /// Servers that answer get a generous timeout, so a busy machine cannot turn their answer into a
    /// timeout; silent servers a short one, so the tests end soon.
    /// </summary>
    private static LiveDnsResolver ResolverFor(UdpDnsResponder responder, int retries = 0, bool silent = false) => new(new LiveDnsResolverOptions
    {
        NameServers = [responder.EndPoint],
        Timeout = silent ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(10),
        Retries = retries,
    });

    [Test]
    public async Task AServerThatNeverAnswersIsATimeoutAfterTheConfiguredRetries()
    {
        using var silent = new UdpDnsResponder(_ => null);
        var resolver = ResolverFor(silent, retries: 1, silent: true);

        var response = await resolver.QueryTxtAsync("example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That(response.IsTemporaryError, Is.True);
            Assert.That(response.Records, Is.Empty);
            Assert.That(response.Detail, Does.Contain("example.test TXT"));
            Assert.That(silent.Queries, Is.EqualTo(2), "one try and one retry");
        });
    }

    [Test]
    public async Task EveryRecordTypeTimesOutAsAValue()
    {
        using var silent = new UdpDnsResponder(_ => null);
        var resolver = ResolverFor(silent, silent: true);

        var statuses = new[]
        {
            (await resolver.QueryAAsync("example.test", CancellationToken.None)).Status,
            (await resolver.QueryAaaaAsync("example.test", CancellationToken.None)).Status,
            (await resolver.QueryMxAsync("example.test", CancellationToken.None)).Status,
            (await resolver.QueryPtrAsync("1.2.0.192.in-addr.arpa", CancellationToken.None)).Status,
        };

        Assert.That(statuses, Has.All.EqualTo(DnsResponseStatus.Timeout));
    }

    [Test]
    public void TheCallersCancellationIsNotDnsTroubleAndPropagates()
    {
        using var silent = new UdpDnsResponder(_ => null);
        var resolver = new LiveDnsResolver(new LiveDnsResolverOptions { NameServers = [silent.EndPoint], Timeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        Assert.That(
            async () => await resolver.QueryTxtAsync("example.test", cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [TestCase(2, "ServerFailure", TestName = "Servfail")]
    [TestCase(5, "Refused", TestName = "Refused")]
    [TestCase(1, "FormatError", TestName = "Formerr")]
    [TestCase(4, "NotImplemented", TestName = "Notimp")]
    public async Task AnErrorRcodeIsAServerFailureNamingIt(int rcode, string named)
    {
        using var failing = new UdpDnsResponder(query => UdpDnsResponder.Reply(query, rcode));
        var resolver = ResolverFor(failing);

        var response = await resolver.QueryTxtAsync("example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
            Assert.That(response.Detail, Does.Contain(named));
            Assert.That(response.IsTemporaryError, Is.True);
        });
    }

    [Test]
    public async Task NxDomainWithoutSoaHasNoTtlSoTheCacheUsesItsDefault()
    {
        using var server = new UdpDnsResponder(query => UdpDnsResponder.Reply(query, 3));
        var resolver = ResolverFor(server);

        var response = await resolver.QueryAAsync("nothing.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(response.TimeToLive, Is.Null);
        });
    }

    [Test]
    public async Task NoErrorWithoutRecordsIsNoData()
    {
        using var server = new UdpDnsResponder(query => UdpDnsResponder.Reply(query, 0));
        var resolver = ResolverFor(server);

        var response = await resolver.QueryMxAsync("example.test", CancellationToken.None);

        Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.NoData));
    }

    [Test]
    public async Task GarbageBytesAreAServerFailureWithAReason()
    {
        using var garbage = new UdpDnsResponder(_ => "this is not a DNS message"u8.ToArray());
        var resolver = ResolverFor(garbage);

        var response = await resolver.QueryTxtAsync("example.test", CancellationToken.None);
        TestContext.Out.WriteLine($"{response.Status}: {response.Detail}");

        Assert.Multiple(() =>
        {
            Assert.That(response.IsTemporaryError, Is.True, $"{response.Status}: {response.Detail}");
            Assert.That(response.Detail, Is.Not.Empty);
        });
    }

    [Test]
    public async Task AHeaderPromisingRecordsThatAreNotThereIsAServerFailure()
    {
        using var liar = new UdpDnsResponder(query =>
        {
            var reply = UdpDnsResponder.Reply(query, 0);
            reply[7] = 5; // ANCOUNT 5, and no answer section follows
            return reply;
        });
        var resolver = ResolverFor(liar);

        var response = await resolver.QueryTxtAsync("example.test", CancellationToken.None);
        TestContext.Out.WriteLine($"{response.Status}: {response.Detail}");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.ServerFailure), response.Detail);
            Assert.That(response.Detail, Is.Not.Empty);
        });
    }

    [Test]
    public async Task ATruncatedReplyWithNoTcpServerIsAFailureNotAnEmptyAnswer()
    {
        using var truncating = new UdpDnsResponder(query => UdpDnsResponder.Reply(query, 0, truncated: true));
        var resolver = ResolverFor(truncating);

        var response = await resolver.QueryTxtAsync("example.test", CancellationToken.None);
        TestContext.Out.WriteLine($"{response.Status}: {response.Detail}");

        Assert.Multiple(() =>
        {
            Assert.That(response.IsTemporaryError, Is.True, $"{response.Status}: {response.Detail}");
            Assert.That(response.Records, Is.Empty);
        });
    }

    [Test]
    public void NegativeRetriesAreRejectedAtConstruction()
    {
        Assert.That(
            () => new LiveDnsResolver(new LiveDnsResolverOptions { NameServers = [new IPEndPoint(IPAddress.Loopback, 53)], Retries = -1 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
