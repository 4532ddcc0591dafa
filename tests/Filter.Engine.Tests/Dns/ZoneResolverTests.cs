using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

public sealed class ZoneResolverTests
{
    private static ZoneResolver Build(Action<DnsZone> fill)
    {
        var zone = new DnsZone();
        fill(zone);
        return new ZoneResolver(zone);
    }

    [Test]
    public async Task AnswersNoDataNxDomainAndEmptyNonTerminalDistinctly()
    {
        var resolver = Build(z => z.AddTxt("a.b.example.", "v=spf1 -all"));

        var answer = await resolver.QueryTxtAsync("A.B.Example", CancellationToken.None);
        var noData = await resolver.QueryAAsync("a.b.example", CancellationToken.None);
        var emptyNonTerminal = await resolver.QueryTxtAsync("b.example", CancellationToken.None);
        var missing = await resolver.QueryTxtAsync("c.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(answer.Records, Is.EqualTo(new[] { "v=spf1 -all" }));
            Assert.That(noData.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(emptyNonTerminal.Status, Is.EqualTo(DnsResponseStatus.NoData), "RFC 8020: an empty non-terminal exists");
            Assert.That(missing.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(missing.IsVoid, Is.True);
        });
    }

    [Test]
    public async Task InjectedTimeoutAppliesOnlyToTypesWithoutRecords()
    {
        var resolver = Build(z =>
        {
            z.AddA("t.example", IPAddress.Parse("192.0.2.1"));
            z.AddFailure("t.example", DnsResponseStatus.Timeout);
        });

        var a = await resolver.QueryAAsync("t.example", CancellationToken.None);
        var txt = await resolver.QueryTxtAsync("t.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(a.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(txt.Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That(txt.IsTemporaryError, Is.True);
        });
    }

    [Test]
    public async Task FollowsCnameAndReportsLoopAsServerFailure()
    {
        var resolver = Build(z =>
        {
            z.AddCname("alias.example", "Target.Example.");
            z.AddTxt("target.example", "hello");
            z.AddCname("loop1.example", "loop2.example");
            z.AddCname("loop2.example", "LOOP1.example");
        });

        var followed = await resolver.QueryTxtAsync("alias.example", CancellationToken.None);
        var loop = await resolver.QueryAAsync("loop1.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(followed.Records, Is.EqualTo(new[] { "hello" }));
            Assert.That(loop.Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
        });
    }

    [Test]
    public async Task WildcardAnswersOnlyForNamesThatDoNotExist()
    {
        var resolver = Build(z =>
        {
            z.AddTxt("*.w.example", "wild");
            z.AddA("real.w.example", IPAddress.Parse("192.0.2.7"));
        });

        var synthesized = await resolver.QueryTxtAsync("anything.w.example", CancellationToken.None);
        var existing = await resolver.QueryTxtAsync("real.w.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(synthesized.Records, Is.EqualTo(new[] { "wild" }));
            Assert.That(existing.Status, Is.EqualTo(DnsResponseStatus.NoData), "RFC 4592 §2.2.1: a wildcard does not answer for an existing name");
        });
    }

    [TestCase("192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [TestCase("::ffff:192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [TestCase("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void ReverseNamesFollowRfc1035AndRfc3596(string address, string expected) =>
        Assert.That(ReverseName.For(IPAddress.Parse(address)), Is.EqualTo(expected));
}
