using System.Net;
using Filter.Engine.Dns;
using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

/// <summary>
/// The parsed-record cache (keyed by the exact TXT text): a warm check does not re-parse, a changed
/// record is a new key and is parsed anew, syntax errors are remembered as errors, and it stays bounded.
/// </summary>
public sealed class SpfRecordCacheTests
{
    [Test]
    public void SameTextIsParsedOnce()
    {
        var cache = new SpfRecordCache();
        var first = cache.GetOrParse("v=spf1 ip4:192.0.2.0/24 -all");
        Assert.Multiple(() =>
        {
            Assert.That(cache.GetOrParse("v=spf1 ip4:192.0.2.0/24 -all"), Is.SameAs(first));
            Assert.That(first.Record!.Directives.Select(d => d.Text), Is.EqualTo(new[] { "ip4:192.0.2.0/24", "-all" }));
        });
    }

    [Test]
    public void ChangedRecordIsParsedAnew()
    {
        var cache = new SpfRecordCache();
        var before = cache.GetOrParse("v=spf1 -all");
        var after = cache.GetOrParse("v=spf1 +all");
        var broken = cache.GetOrParse("v=spf1 ip4:300.0.0.1 -all");
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.SameAs(before));
            Assert.That(before.Record!.Directives[0].Qualifier, Is.EqualTo(SpfQualifier.Fail));
            Assert.That(after.Record!.Directives[0].Qualifier, Is.EqualTo(SpfQualifier.Pass));
            Assert.That(broken.Record, Is.Null);
            Assert.That(cache.GetOrParse("v=spf1 ip4:300.0.0.1 -all").Error, Is.EqualTo(broken.Error));
        });
    }

    [Test]
    public void Bounded()
    {
        var cache = new SpfRecordCache(capacity: 2);
        for (var i = 0; i < 10; i++)
        {
            var parsed = cache.GetOrParse($"v=spf1 ip4:192.0.2.{i} -all");
            Assert.That(parsed.Record!.Directives[0].Text, Is.EqualTo($"ip4:192.0.2.{i}"));
        }

        var longText = "v=spf1 " + string.Concat(Enumerable.Repeat("ip4:192.0.2.1 ", 200)) + "-all";
        Assert.That(new SpfRecordCache().GetOrParse(longText).Record!.Directives, Has.Length.EqualTo(201), "a long text is parsed, not kept");
    }

    [Test]
    public async Task AnEvaluatorSeesAChangedRecord()
    {
        // One evaluator (one cache), its zone given a second record for the same name: the check now sees
        // two v=spf1 records (permerror, RFC 7208 §4.5): what is cached is the parse of a text, never the
        // answer for a name.
        var zone = new DnsZone();
        zone.AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var evaluator = new SpfEvaluator(new ZoneResolver(zone));
        var client = IPAddress.Parse("192.0.2.10");

        var before = await evaluator.CheckMailFromAsync(client, "mx.example.com", "a@example.com", CancellationToken.None);
        var again = await evaluator.CheckMailFromAsync(client, "mx.example.com", "a@example.com", CancellationToken.None);
        zone.AddTxt("example.com", "v=spf1 -all");
        var after = await evaluator.CheckMailFromAsync(client, "mx.example.com", "a@example.com", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(before.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(again.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(after.Code, Is.EqualTo(SpfResultCode.PermError));
        });
    }
}
