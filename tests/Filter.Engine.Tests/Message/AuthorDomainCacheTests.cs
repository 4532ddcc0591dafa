using Filter.Engine.Message;

namespace Filter.Engine.Tests.Message;

/// <summary>
/// The From-value cache gives exactly what the extractor gives, reuses a result only for the identical
/// single value, never caches several From fields, and stays bounded.
/// </summary>
public sealed class AuthorDomainCacheTests
{
    private static readonly string[] Values =
    [
        " News <news@example.com>",
        " news@EXAMPLE.com",
        " \"x@brand.example\"@evil.example",
        " a@good.example, b@evil.example",
        " undisclosed-recipients:;",
        " Bücher <info@bücher.example>",
        " (brand.example) user@evil.example",
        " ",
        " a@[192.0.2.1]",
    ];

    [Test]
    public void HitsEqualTheExtractor()
    {
        var cache = new AuthorDomainCache();
        foreach (var value in Values)
        {
            var expected = AuthorDomainExtractor.Extract(value);
            var first = cache.Extract([value]);
            var second = cache.Extract([value]);
            Assert.Multiple(() =>
            {
                Assert.That(second, Is.SameAs(first), value);
                Assert.That(first.Status, Is.EqualTo(expected.Status), value);
                Assert.That(first.Domains, Is.EqualTo(expected.Domains), value);
                Assert.That(first.Reason, Is.EqualTo(expected.Reason), value);
                Assert.That(first.MailboxCount, Is.EqualTo(expected.MailboxCount), value);
            });
        }

        Assert.That(cache.Count, Is.EqualTo(Values.Length));
    }

    [Test]
    public void DifferentValueIsExtractedAnew()
    {
        var cache = new AuthorDomainCache();
        var first = cache.Extract([" a@one.example"]);
        var second = cache.Extract([" a@two.example"]);
        Assert.Multiple(() =>
        {
            Assert.That(first.Domain, Is.EqualTo("one.example"));
            Assert.That(second.Domain, Is.EqualTo("two.example"));
        });
    }

    [Test]
    public void SeveralFromFieldsAreNotCached()
    {
        var cache = new AuthorDomainCache();
        var result = cache.Extract([" a@good.example", " b@evil.example"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(AuthorDomainStatus.Multiple));
            Assert.That(cache.Count, Is.Zero);
            Assert.That(cache.Extract([]).Status, Is.EqualTo(AuthorDomainStatus.Missing));
        });
    }

    [Test]
    public void Bounded()
    {
        var cache = new AuthorDomainCache(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            Assert.That(cache.Extract([$" u@d{i}.example"]).Domain, Is.EqualTo($"d{i}.example"));
        }

        var longValue = " " + new string('a', AuthorDomainCache.MaxCachedLength) + "@example.com";
        var unbounded = new AuthorDomainCache();
        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
            Assert.That(unbounded.Extract([longValue]).Status, Is.EqualTo(AuthorDomainExtractor.Extract(longValue).Status));
            Assert.That(unbounded.Count, Is.Zero);
        });
    }
}
