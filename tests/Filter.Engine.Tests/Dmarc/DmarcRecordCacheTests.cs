using Filter.Engine.Dmarc;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dmarc;

/// <summary>
/// The parsed-record cache: a warm message does not re-parse its DMARC record, a changed record (a new
/// text) is parsed anew, the cache stays bounded, and a hit is exactly what a fresh parse gives.
/// </summary>
public sealed class DmarcRecordCacheTests
{
    [Test]
    public void QueryNameIsBuiltOncePerDomain()
    {
        var cache = new DmarcRecordCache(DmarcMode.Rfc9989, capacity: 2);
        var first = cache.QueryName("example.com");
        var again = cache.QueryName(new string("example.com".AsSpan()));
        var other = cache.QueryName("mail.example.com");
        var third = cache.QueryName("example.org");
        var long253 = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + "x";

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("_dmarc.example.com"));
            Assert.That(again, Is.SameAs(first), "one string for the domain, however the key was built");
            Assert.That(other, Is.EqualTo("_dmarc.mail.example.com"));
            Assert.That(third, Is.EqualTo("_dmarc.example.org"), "a full cache starts over and still answers");
            Assert.That(cache.QueryName(long253 + "b"), Is.EqualTo("_dmarc." + long253 + "b"), "a name too long to keep is still built");
        });
    }

    [Test]
    public void SameTextIsParsedOnce()
    {
        var cache = new DmarcRecordCache(DmarcMode.Rfc9989);
        var first = cache.GetOrParse("v=DMARC1; p=reject");
        var second = cache.GetOrParse("v=DMARC1; p=reject");
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first), "the second message reuses the first parse");
            Assert.That(first.Record!.Policy, Is.EqualTo(DmarcPolicy.Reject));
            Assert.That(cache.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void HitEqualsAFreshParse()
    {
        const string Text = "v=DMARC1; p=quarantine; sp=none; adkim=s; rua=mailto:r@example.com; bogus; t=y";
        var cache = new DmarcRecordCache(DmarcMode.Rfc9989);
        cache.GetOrParse(Text);
        var hit = cache.GetOrParse(Text);
        var fresh = DmarcRecordParser.Parse(Text, DmarcMode.Rfc9989);
        Assert.Multiple(() =>
        {
            Assert.That(hit.Status, Is.EqualTo(fresh.Status));
            Assert.That(hit.Reason, Is.EqualTo(fresh.Reason));
            Assert.That(hit.Record!.Policy, Is.EqualTo(fresh.Record!.Policy));
            Assert.That(hit.Record.SubdomainPolicy, Is.EqualTo(fresh.Record.SubdomainPolicy));
            Assert.That(hit.Record.DkimAlignment, Is.EqualTo(fresh.Record.DkimAlignment));
            Assert.That(hit.Record.TestMode, Is.EqualTo(fresh.Record.TestMode));
            Assert.That(hit.Record.AggregateReportUris, Is.EqualTo(fresh.Record.AggregateReportUris));
            Assert.That(hit.Record.Warnings, Is.EqualTo(fresh.Record.Warnings));
        });
    }

    [Test]
    public void ChangedRecordIsParsedAnew()
    {
        var cache = new DmarcRecordCache(DmarcMode.Rfc9989);
        var before = cache.GetOrParse("v=DMARC1; p=none");
        var after = cache.GetOrParse("v=DMARC1; p=reject");
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.SameAs(before));
            Assert.That(before.Record!.Policy, Is.EqualTo(DmarcPolicy.None));
            Assert.That(after.Record!.Policy, Is.EqualTo(DmarcPolicy.Reject));
        });
    }

    [Test]
    public void BoundedByCapacityAndLength()
    {
        var cache = new DmarcRecordCache(DmarcMode.Rfc9989, capacity: 2);
        cache.GetOrParse("v=DMARC1; p=none");
        cache.GetOrParse("v=DMARC1; p=quarantine");
        cache.GetOrParse("v=DMARC1; p=reject");
        Assert.That(cache.Count, Is.LessThanOrEqualTo(2));

        var unbounded = new DmarcRecordCache(DmarcMode.Rfc9989);
        var longText = "v=DMARC1; p=reject; rua=mailto:" + new string('a', DmarcRecordCache.MaxCachedLength) + "@example.com";
        var parsed = unbounded.GetOrParse(longText);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Record!.Policy, Is.EqualTo(DmarcPolicy.Reject), "a long text is still parsed");
            Assert.That(unbounded.Count, Is.Zero, "but not kept");
        });
    }

    [Test]
    public void ModeIsPartOfTheCache()
    {
        // pct only means something in RFC 7489 mode; each evaluator's cache parses in its own mode.
        var rfc7489 = new DmarcRecordCache(DmarcMode.Rfc7489).GetOrParse("v=DMARC1; p=reject; pct=10");
        var rfc9989 = new DmarcRecordCache(DmarcMode.Rfc9989).GetOrParse("v=DMARC1; p=reject; pct=10");
        Assert.Multiple(() =>
        {
            Assert.That(rfc7489.Record!.Percent, Is.EqualTo(10));
            Assert.That(rfc9989.Record!.Percent, Is.EqualTo(100));
        });
    }

    [Test]
    public async Task EvaluatorsSharingTheCacheSeeAChangedRecord()
    {
        // The daemon shares one cache between the engine's evaluator and per-message ones over other
        // resolvers (MessageAuthenticationEngine.StartMessage(resolver)); a new text means a new parse.
        var oldZone = new DnsZone();
        oldZone.AddTxt("_dmarc.example.com", "v=DMARC1; p=none");
        var newZone = new DnsZone();
        newZone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var options = new DmarcOptions();
        var first = new DmarcEvaluator(new ZoneResolver(oldZone), options);
        var second = new DmarcEvaluator(new ZoneResolver(newZone), options, first.Discovery, first.Sampler, first.Records);

        var before = await first.Start("example.com", CancellationToken.None).EvaluateAsync(null, [], CancellationToken.None);
        var again = await first.Start("example.com", CancellationToken.None).EvaluateAsync(null, [], CancellationToken.None);
        var after = await second.Start("example.com", CancellationToken.None).EvaluateAsync(null, [], CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(second.Records, Is.SameAs(first.Records));
            Assert.That(before.Policy, Is.EqualTo(DmarcPolicy.None));
            Assert.That(again.Policy, Is.EqualTo(DmarcPolicy.None));
            Assert.That(after.Policy, Is.EqualTo(DmarcPolicy.Reject));
            Assert.That(after.Disposition, Is.EqualTo(DmarcDisposition.Reject));
            Assert.That(first.Records.Count, Is.EqualTo(2));
        });
    }
}
