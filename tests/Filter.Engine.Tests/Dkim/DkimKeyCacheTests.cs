using Filter.Engine.Dkim;
using static Filter.Engine.Tests.Dkim.DkimTestSupport;

namespace Filter.Engine.Tests.Dkim;

/// <summary>The key cache finds a record by the same string instance or by equal text, and keeps nothing at capacity 0.</summary>
[TestFixture]
public sealed class DkimKeyCacheTests
{
    [Test]
    public void SameTextGivesTheSameEntryWhetherTheSameStringOrACopy()
    {
        using var key = RsaKey();
        var text = key.KeyRecord;
        var copy = new string(text.AsSpan());
        using var edKey = Ed25519Key();
        var other = edKey.KeyRecord;
        var cache = new DkimKeyCache(16);
        var first = cache.Get(text);
        Assert.Multiple(() =>
        {
            Assert.That(first.Key, Is.Not.Null);
            Assert.That(cache.Get(text), Is.SameAs(first));
            Assert.That(cache.Get(copy), Is.SameAs(first));
            Assert.That(cache.Get(other), Is.Not.SameAs(first));
            Assert.That(cache.Get(other).Record!.KeyType, Is.EqualTo(DkimKeyType.Ed25519));
            Assert.That(cache.Get(text), Is.SameAs(first), "back to the first record after another one");
        });
    }

    [Test]
    public void CapacityZeroParsesEveryTime()
    {
        using var key = RsaKey();
        var text = key.KeyRecord;
        var cache = new DkimKeyCache(0);
        var first = cache.Get(text);
        var second = cache.Get(text);
        Assert.That(second, Is.Not.SameAs(first));
    }
}
